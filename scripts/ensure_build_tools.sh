#!/usr/bin/env bash
# `uv sync` compiles the matcher's C extension (packages/textfold): make sure a C compiler and the headers of the
# Python that uv uses are there, installing them from Debian when missing (as root), or saying what to install.
# Without uv, `make bootstrap` installs it into a venv: Debian's Python needs its venv package for that.
set -euo pipefail
python="${UV_PYTHON:-python3.11}"
packages=()
command -v gcc >/dev/null || packages+=(gcc libc6-dev)
"$python" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("include"), "Python.h")))' \
  || packages+=("$python-dev")
if ! command -v uv >/dev/null && [ ! -x "$(dirname "$0")/../.tools/bin/uv" ]; then
  "$python" -c 'import ensurepip' 2>/dev/null || packages+=("$python-venv")
fi
[ ${#packages[@]} -eq 0 ] || exec "$(dirname "$0")/ensure_debian_packages.sh" "${packages[@]}"
