#pragma once
// Big-endian (network order) field access for the Kafka wire/disk formats.

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace skiff::log {

template <class T>
inline T readBigEndian(const char *p)
{
    using U = std::make_unsigned_t<T>;
    U v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        v = static_cast<U>((v << 8) | static_cast<unsigned char>(p[i]));
    return static_cast<T>(v);
}

template <class T>
inline void writeBigEndian(char *p, T value)
{
    using U = std::make_unsigned_t<T>;
    auto v = static_cast<U>(value);
    for (size_t i = sizeof(T); i-- > 0;) {
        p[i] = static_cast<char>(v & 0xff);
        v = static_cast<U>(v >> 8);
    }
}

} // namespace skiff::log
