#!/usr/bin/env bash
# Set up .venv for studylog: Python 3.11+, a CPU build of torch where none is installed,
# then studylog itself (editable) with the extras given as $1 (e.g. "test").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: studylog needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    "$PYTHON" -m venv .venv
fi
VPY=.venv/bin/python
PIP=("$VPY" -m pip install --quiet --disable-pip-version-check)
if ! "$VPY" -c 'import torch' 2>/dev/null; then
    # A bare 'torch' requirement would pull a multi-GB CUDA build on Linux: install a
    # CPU build first. A local wheel (pip's configured find-links) is tried first, then
    # PyTorch's CPU-only index; the project itself only asks for a range (torch>=2.2).
    echo "==> installing a CPU build of torch"
    # torch's own dependencies come from the normal index with studylog's below.
    "${PIP[@]}" --no-index --no-deps "torch>=2.2" 2>/dev/null \
        || "${PIP[@]}" "torch>=2.2" --index-url "${STUDYLOG_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"
fi
EXTRAS="${1:-}"
echo "==> installing studylog${EXTRAS:+ [$EXTRAS]}"
"${PIP[@]}" -e ".${EXTRAS:+[$EXTRAS]}"
