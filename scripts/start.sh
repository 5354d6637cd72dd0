#!/usr/bin/env bash
# Quick start: set everything up, then open studylog on the bundled sample content.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec .venv/bin/studylog demo "$@"
