#!/usr/bin/env bash
# Builds skiffd and skiffctl and writes the Debian packages skiff-node and skiff-dashboard into
# build/packages/ (the same as `cmake --build build --target package`). Needs dpkg-dev (shlibdeps).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
preset=${SKIFF_PRESET:-default}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset "$preset" >/dev/null
targets=(skiffd skiffctl)
if cmake --build --preset "$preset" --target help | grep -q '^skiff-dashboard:'; then targets+=(skiff-dashboard); fi
cmake --build --preset "$preset" --target "${targets[@]}" -- -j"$(nproc)"
(cd build && cpack -G DEB)
ls -1 build/packages/*.deb
