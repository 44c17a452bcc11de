#pragma once
// Hex helpers for byte-exact test vectors ("0012 0003" - spaces are ignored).

#include <string>
#include <string_view>

namespace skiff::kafka::test {

inline std::string unhex(std::string_view text)
{
    std::string digits;
    for (char c : text)
        if (c != ' ')
            digits.push_back(c);
    std::string out;
    for (size_t i = 0; i + 1 < digits.size(); i += 2)
        out.push_back(char(std::stoi(digits.substr(i, 2), nullptr, 16)));
    return out;
}

inline std::string hex(std::string_view bytes)
{
    static const char *d = "0123456789abcdef";
    std::string out;
    for (char c : bytes) {
        out.push_back(d[(uint8_t(c) >> 4) & 0xF]);
        out.push_back(d[uint8_t(c) & 0xF]);
    }
    return out;
}

} // namespace skiff::kafka::test
