#!/usr/bin/env bash
# Configures and builds Skiff into ./build (preset "default"; SKIFF_PRESET=ci for -Werror): every
# target, or only the targets named as arguments (scripts/run.sh builds just what it runs).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${SKIFF_PRESET:-default}
# ccache hits across clones: hash paths relative to the checkout.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" ${1:+--target "$@"} -- -j"$(nproc)"
