# Sourced by the Quickstart scripts: make .venv (once) and install deepgrad with the test extra.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.deepgrad-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  # torch==2.13.0 (CPU build) is the test oracle; pinned so no CUDA packages are pulled in.
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi
export DEEPGRAD_DATA=${DEEPGRAD_DATA:-$(cd .. && pwd)/shared/data}
