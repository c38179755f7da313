#!/usr/bin/env bash
# The main job: train LeNet-5 on real MNIST (installs what it needs into .venv first).
# Reads MNIST from $DEEPGRAD_DATA (default ../shared/data); writes runs/lenet_mnist/.
# Extra args go to the script, e.g. ./scripts/demo.sh --epochs 2
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/python examples/lenet_mnist.py "$@"
