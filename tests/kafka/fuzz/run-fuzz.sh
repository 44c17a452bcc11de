#!/usr/bin/env bash
# The Kafka request decoder fuzzer (RequestDecoderFuzz.cpp), built and run by tests/run-libfuzzer.sh.
#   tests/kafka/fuzz/run-fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
exec "$(dirname "$0")/../../run-libfuzzer.sh" kafka "${1:?usage: run-fuzz.sh BUILD_DIR SECONDS}" "${2:-60}" \
    "the Kafka request decoder" \
    "node/kafka/protocol/*.h node/kafka/protocol/messages/*.h shared/common/*.h" \
    "node/kafka/protocol/*.cpp node/kafka/protocol/messages/*.cpp shared/common/*.cpp tests/kafka/fuzz/RequestDecoderFuzz.cpp"
