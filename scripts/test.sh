#!/usr/bin/env bash
# Run the test suite (installs what it needs into .venv first). Extra args go to pytest.
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/python -m pytest -n 2 "$@"
