#!/usr/bin/env bash
# Run the demo (installs what it needs into .venv first).
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/python examples/autograd_demo.py "$@"
