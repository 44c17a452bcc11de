#!/usr/bin/env bash
# Builds the Kafka request decoder fuzzer with clang/libFuzzer + ASan + UBSan and runs it.
#   tests/kafka/fuzz/run-fuzz.sh BUILD_DIR SECONDS
# Objects, seeds, the growing corpus and crash artifacts live in BUILD_DIR/fuzz-kafka/.
# Exit codes: 0 no findings, 77 skipped (no clang++), anything else a build failure or finding.
set -euo pipefail

build_dir=${1:?usage: run-fuzz.sh BUILD_DIR SECONDS}
seconds=${2:-60}
cxx=${FUZZ_CXX:-clang++}

if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "SKIP: $cxx not found; install clang (and libclang-rt-dev) to fuzz the Kafka request decoder"
    exit 77
fi

src=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mkdir -p "$build_dir/fuzz-kafka" && cd "$build_dir/fuzz-kafka" && pwd)
mkdir -p "$out/obj" "$out/corpus" "$out/artifacts"

# clang without the sanitizer/fuzzer runtimes (libclang-rt-NN-dev) cannot link a fuzzer.
probe="$out/probe.cpp"
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' > "$probe"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe" -o "$out/probe" >/dev/null 2>&1; then
    echo "SKIP: $cxx cannot link -fsanitize=fuzzer,address,undefined (install libclang-rt-dev)"
    exit 77
fi
rm -rf "$out/seeds" && mkdir -p "$out/seeds"

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -Wall -Wextra -Wno-missing-field-initializers -I"$src/node" -I"$src/shared")
sources=("$src"/node/kafka/protocol/*.cpp "$src"/node/kafka/protocol/messages/*.cpp
         "$src"/shared/common/*.cpp "$src"/tests/kafka/fuzz/RequestDecoderFuzz.cpp)

# Recompile an object when its source or any header it may include changed (coarse but safe).
newest_header=$(ls -t "$src"/node/kafka/protocol/*.h "$src"/node/kafka/protocol/messages/*.h \
                      "$src"/shared/common/*.h | head -1)
stale=()
objects=()
for s in "${sources[@]}"; do
    o="$out/obj/$(echo "${s#$src/}" | tr '/' '_').o"
    objects+=("$o")
    if [[ ! -f "$o" || "$s" -nt "$o" || "$newest_header" -nt "$o" || "$0" -nt "$o" ]]; then
        stale+=("$s")
    fi
done
if ((${#stale[@]})); then
    echo "compiling ${#stale[@]} sources with $cxx"
    printf '%s\n' "${stale[@]}" | xargs -P 2 -I{} sh -c \
        'o="$1/obj/$(echo "${2#$3/}" | tr / _).o"; shift 3; exec "$@" -c "$0" -o "$o"' \
        {} "$out" {} "$src" "$cxx" "${flags[@]}"
fi
"$cxx" "${flags[@]}" "${objects[@]}" -o "$out/request_decoder_fuzz"

SKIFF_FUZZ_WRITE_SEEDS="$out/seeds" "$out/request_decoder_fuzz"

# -malloc_limit_mb turns any hostile-length allocation into a finding.
# libFuzzer's own exit code for a finding is 77, which ctest would count as "skipped".
exec "$out/request_decoder_fuzz" -max_total_time="$seconds" -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -malloc_limit_mb=128 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/corpus" "$out/seeds"
