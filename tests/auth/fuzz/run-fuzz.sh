#!/usr/bin/env bash
# The SASL mechanisms fuzzer (SaslExchangeFuzz.cpp: PLAIN, SCRAM-SHA-256/512 driven by whatever a
# client sends before it is authenticated), built and run by tests/run-libfuzzer.sh.
#   tests/auth/fuzz/run-fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
exec "$(dirname "$0")/../../run-libfuzzer.sh" auth "${1:?usage: run-fuzz.sh BUILD_DIR SECONDS}" "${2:-60}" \
    "the SASL mechanisms" \
    "node/auth/*.h node/metadata/ScramCredentials.h shared/common/*.h" \
    "node/auth/*.cpp node/metadata/ScramCredentials.cpp shared/common/*.cpp tests/auth/fuzz/SaslExchangeFuzz.cpp" \
    "-lcrypto"
