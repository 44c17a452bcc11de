#!/bin/sh
# Checks the clang thread-safety annotations of shared/sync (ctest "clang_thread_safety"):
# every sync header compiles on its own, a correctly annotated example compiles, and a
# deliberately wrong one is rejected with a thread-safety error. Exit 77 (skip) without clang++.
#   clang_thread_safety.sh <source root> <include dirs, ':'-separated>
set -u
root=$1
includes=$2

clang=$(command -v clang++ || command -v clang++-14 || command -v clang++-15) || {
    echo "clang++ not found: skipping"
    exit 77
}

flags="-std=c++20 -fPIC -Wthread-safety -Werror -fsyntax-only -I$root/shared"
old_ifs=$IFS
IFS=:
for dir in $includes; do
    [ -n "$dir" ] && flags="$flags -isystem $dir"
done
IFS=$old_ifs

failed=0
for header in "$root"/shared/sync/*.h; do
    name=$(basename "$header")
    if ! echo "#include \"sync/$name\"" | $clang $flags -x c++ - ; then
        echo "FAIL: sync/$name does not compile on its own under clang -Wthread-safety"
        failed=1
    fi
done

examples=$root/tests/sync/thread_safety
if ! $clang $flags "$examples/CorrectlyAnnotated.cpp"; then
    echo "FAIL: CorrectlyAnnotated.cpp was rejected"
    failed=1
fi

output=$($clang $flags "$examples/WronglyLocked.cpp" 2>&1)
status=$?
if [ $status -eq 0 ]; then
    echo "FAIL: WronglyLocked.cpp compiled: the thread-safety annotations have no effect"
    failed=1
elif ! echo "$output" | grep -q "requires holding mutex 'm_mutex'"; then
    echo "FAIL: WronglyLocked.cpp was rejected for another reason than the missing lock:"
    echo "$output"
    failed=1
else
    echo "WronglyLocked.cpp rejected as expected:"
    echo "$output" | grep "error:"
fi

[ $failed -eq 0 ] && echo "clang thread-safety checks passed"
exit $failed
