#!/usr/bin/env bash
# Second command of the README: install what is missing, build with warnings as errors, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
SKIFF_PRESET=ci scripts/build.sh
ctest --preset ci -j"$(nproc)" "$@"
