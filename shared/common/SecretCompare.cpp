#include "common/SecretCompare.h"

#include <cstddef>

namespace skiff {

bool secretEquals(std::string_view presented, std::string_view expected)
{
    // Every byte of `presented` is compared (against `expected` cycled, or against itself when
    // `expected` is empty), and the result is folded without branches.
    unsigned char diff = presented.size() == expected.size() ? 0 : 1;
    const std::string_view other = expected.empty() ? presented : expected;
    for (std::size_t i = 0; i < presented.size(); ++i)
        diff |= static_cast<unsigned char>(presented[i] ^ other[i % other.size()]);
    // volatile: keeps the compiler from turning the loop into an early-exit comparison.
    volatile unsigned char result = diff;
    return result == 0;
}

} // namespace skiff
