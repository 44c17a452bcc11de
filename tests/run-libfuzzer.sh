#!/usr/bin/env bash
# Builds one libFuzzer harness with clang + ASan + UBSan and runs it (the Kafka request decoder's
# and the SASL mechanisms' runners call it).
#   tests/run-libfuzzer.sh NAME BUILD_DIR SECONDS WHAT HEADERS SOURCES [LIBS]
# HEADERS and SOURCES: space-separated globs below the checkout (a source is recompiled when it or
# any of HEADERS changed); LIBS: extra link flags. The harness writes its seed inputs when run
# with SKIFF_FUZZ_WRITE_SEEDS=<dir>. Objects, seeds, the growing corpus and crash artifacts live
# in BUILD_DIR/fuzz-NAME/.
# Exit codes: 0 no findings; anything else a missing toolchain (one line names the package), a build
# failure or a finding.
set -euo pipefail

name=${1:?usage: run-libfuzzer.sh NAME BUILD_DIR SECONDS WHAT HEADERS SOURCES [LIBS]}
build_dir=$2
seconds=$3
what=$4
header_globs=$5
source_globs=$6
libs=${7:-}
cxx=${FUZZ_CXX:-clang++}

src=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "$build_dir/fuzz-$name" && cd "$build_dir/fuzz-$name" && pwd)
mkdir -p "$out/obj" "$out/corpus" "$out/artifacts"
# shellcheck source=fuzz-toolchain.sh
source "$src/tests/fuzz-toolchain.sh"
require_fuzz_toolchain "$cxx" "$out" "$what"
rm -rf "$out/seeds" && mkdir -p "$out/seeds"

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -Wall -Wextra -Wno-missing-field-initializers -I"$src/node" -I"$src/shared")
cd "$src"
# shellcheck disable=SC2206  # the globs are meant to expand here
sources=($source_globs)
# shellcheck disable=SC2206,SC2086
newest_header=$(ls -t $header_globs | head -1)

# Recompile an object when its source or any header it may include changed (coarse but safe).
stale=()
objects=()
for s in "${sources[@]}"; do
    o="$out/obj/$(echo "$s" | tr '/' '_').o"
    objects+=("$o")
    if [[ ! -f "$o" || "$s" -nt "$o" || "$newest_header" -nt "$o" || "$0" -nt "$o" ]]; then
        stale+=("$s")
    fi
done
if ((${#stale[@]})); then
    echo "compiling ${#stale[@]} sources with $cxx"
    printf '%s\n' "${stale[@]}" | xargs -P 2 -I{} sh -c \
        'o="$1/obj/$(echo "$0" | tr / _).o"; shift 2; exec "$@" -c "$0" -o "$o"' \
        {} "$out" _ "$cxx" "${flags[@]}"
fi
# shellcheck disable=SC2086
"$cxx" "${flags[@]}" "${objects[@]}" $libs -o "$out/${name}_fuzz"

SKIFF_FUZZ_WRITE_SEEDS="$out/seeds" "$out/${name}_fuzz"

# -malloc_limit_mb turns any hostile-length allocation into a finding.
# libFuzzer's own exit code for a finding is 77: a finding exits 1 here, so that no finding can ever
# read as a skip.
exec "$out/${name}_fuzz" -max_total_time="$seconds" -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -malloc_limit_mb=128 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/corpus" "$out/seeds"
