# Sourced by the libFuzzer runners (tests/run-libfuzzer.sh, tests/cluster/fuzz/run-fuzz.sh): the one
# check that the fuzzing toolchain is here. A missing tool fails the test with one line naming the
# Debian 12 packages (scripts/setup.sh installs them): a fuzz test that skips fuzzes nothing.
#   require_fuzz_toolchain CXX PROBE_DIR WHAT
require_fuzz_toolchain() {
    local cxx=$1 dir=$2 what=$3
    if ! command -v "$cxx" >/dev/null 2>&1; then
        echo "FAIL: cannot fuzz $what: $cxx not found: install clang and libclang-rt-14-dev (scripts/setup.sh does)" >&2
        exit 1
    fi
    # clang without the sanitizer/fuzzer runtimes (libclang-rt-14-dev on Debian 12) cannot link a fuzzer.
    echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' > "$dir/probe.cpp"
    if ! "$cxx" -fsanitize=fuzzer,address,undefined "$dir/probe.cpp" -o "$dir/probe" >/dev/null 2>&1; then
        echo "FAIL: cannot fuzz $what: $cxx cannot link -fsanitize=fuzzer,address,undefined: install libclang-rt-14-dev (scripts/setup.sh does)" >&2
        exit 1
    fi
}
