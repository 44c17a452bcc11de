#pragma once
// Zig-zag varints as used inside v2 records (same encoding as protobuf sint32/sint64).

#include <cstddef>
#include <cstdint>
#include <string>

namespace skiff::log {

inline void appendVarlong(std::string &out, int64_t value)
{
    auto v = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

inline void appendVarint(std::string &out, int32_t value) { appendVarlong(out, value); }

// Reads a zig-zag varlong at p[*pos] (bounded by end); false on truncation or overlong encoding.
inline bool readVarlong(const char *p, size_t end, size_t *pos, int64_t *value)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (*pos >= end)
            return false;
        auto b = static_cast<unsigned char>(p[(*pos)++]);
        v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *value = static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
            return true;
        }
    }
    return false;
}

} // namespace skiff::log
