#!/usr/bin/env bash
# Quick start: set everything up with the test extras, then run the whole test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
