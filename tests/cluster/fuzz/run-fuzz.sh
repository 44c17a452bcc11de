#!/usr/bin/env bash
# Builds the peer message fuzzer (PeerFrameDecoder + Raft core driven by hostile frames) with
# clang/libFuzzer + ASan + UBSan and runs it.
#   tests/cluster/fuzz/run-fuzz.sh BUILD_DIR SECONDS
# Objects, seeds, corpus and crash artifacts live in BUILD_DIR/fuzz-peer/.
# Exit codes: 0 no findings; anything else a missing toolchain (one line names the package), a build
# failure or a finding.
set -euo pipefail

build_dir=${1:?usage: run-fuzz.sh BUILD_DIR SECONDS}
seconds=${2:-30}
cxx=${FUZZ_CXX:-clang++}
src=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mkdir -p "$build_dir/fuzz-peer" && cd "$build_dir/fuzz-peer" && pwd)
mkdir -p "$out/obj" "$out/gen" "$out/corpus" "$out/artifacts"
# shellcheck source=../../fuzz-toolchain.sh
source "$src/tests/fuzz-toolchain.sh"
require_fuzz_toolchain "$cxx" "$out" "what peers send"

# Generated protobuf code, as the build does it.
protoc -I"$src/node/raft" -I"$src/node/cluster" -I"$src/node/metadata" --cpp_out="$out/gen" \
    "$src/node/raft/raft.proto" "$src/node/cluster/cluster.proto" "$src/node/metadata/metadata.proto"

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fPIC
       -Wall -Wextra -Wno-missing-field-initializers -Wno-unused-parameter
       -I"$src/node" -I"$src/shared" -I"$out/gen" $(pkg-config --cflags Qt6Core protobuf))
sources=("$src"/node/raft/*.cpp "$src"/shared/common/*.cpp "$src"/shared/net/FrameDecoder.cpp
         "$src"/node/cluster/peer/PeerFraming.cpp "$src"/node/cluster/PeerAdmission.cpp
         "$out"/gen/*.pb.cc "$src"/tests/cluster/fuzz/PeerMessageFuzz.cpp)
newest=$(ls -t "$src"/node/raft/*.h "$src"/node/cluster/peer/*.h "$src"/node/cluster/PeerAdmission.h "$src"/shared/common/*.h \
         "$src"/shared/net/FrameDecoder.h "$out"/gen/*.pb.h | head -1)
objects=()
stale=()
for s in "${sources[@]}"; do
    o="$out/obj/$(basename "$s").o"
    objects+=("$o")
    [[ -f "$o" && "$o" -nt "$s" && "$o" -nt "$newest" && "$o" -nt "$0" ]] || stale+=("$s")
done
if ((${#stale[@]})); then
    echo "compiling ${#stale[@]} sources with $cxx"
    printf '%s\n' "${stale[@]}" | xargs -P 2 -I{} sh -c 'o="$1/obj/$(basename "$0").o"; shift; exec "$@" -c "$0" -o "$o"' \
        {} "$out" "$cxx" "${flags[@]}" 2>&1 | grep -v "^$" || true
fi
"$cxx" "${flags[@]}" "${objects[@]}" $(pkg-config --libs Qt6Core protobuf) -o "$out/peer_message_fuzz"

rm -rf "$out/seeds" && mkdir -p "$out/seeds"
SKIFF_FUZZ_WRITE_SEEDS="$out/seeds" "$out/peer_message_fuzz"
# tests/cluster/fuzz/regressions: inputs that once crashed, run first every time (read only: new
# units go to the first directory). libFuzzer's own exit code for a finding is 77: a finding exits 1
# here, so that no finding can ever read as a skip.
exec "$out/peer_message_fuzz" -max_total_time="$seconds" -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -malloc_limit_mb=256 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/corpus" "$out/seeds" \
    "$src/tests/cluster/fuzz/regressions"
