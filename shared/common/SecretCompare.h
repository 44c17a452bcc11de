#pragma once
// Comparing a presented secret (admin token, cluster join token) with the configured one.

#include <string_view>

namespace skiff {

// True if `presented` equals `expected`. Its time depends only on the length of `presented`, not
// on where the two first differ nor on `expected`'s length, so that timing the answers does not
// reveal the secret byte by byte.
bool secretEquals(std::string_view presented, std::string_view expected);

} // namespace skiff
