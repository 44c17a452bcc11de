#include "auth/ScramMessages.h"

#include <algorithm>
#include <cstdint>

namespace skiff::auth {

namespace {

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

std::string base64Encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const size_t n = std::min<size_t>(3, bytes.size() - i);
        uint32_t chunk = 0;
        for (size_t j = 0; j < 3; ++j)
            chunk = (chunk << 8) | (j < n ? uint8_t(bytes[i + j]) : 0u);
        for (size_t j = 0; j < 4; ++j)
            out += j <= n ? kBase64Alphabet[(chunk >> (18 - 6 * j)) & 0x3f] : '=';
    }
    return out;
}

std::optional<std::string> base64Decode(std::string_view text)
{
    if (text.size() % 4 != 0)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        uint32_t chunk = 0;
        size_t padding = 0;
        for (size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            uint32_t value = 0;
            if (c == '=') {
                // Only in the last group's last two places, and nothing but '=' after one.
                if (!last || j < 2)
                    return std::nullopt;
                ++padding;
            } else {
                if (padding > 0)
                    return std::nullopt;
                const size_t at = kBase64Alphabet.find(c);
                if (at == std::string_view::npos)
                    return std::nullopt;
                value = uint32_t(at);
            }
            chunk = (chunk << 6) | value;
        }
        for (size_t j = 0; j < 3 - padding; ++j)
            out += char((chunk >> (16 - 8 * j)) & 0xff);
    }
    return out;
}

std::vector<std::string_view> splitAttributes(std::string_view text)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        parts.push_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos)
            return parts;
        start = comma + 1;
    }
}

std::optional<std::string> decodeSaslName(std::string_view saslName)
{
    std::string name;
    for (size_t i = 0; i < saslName.size(); ++i) {
        const char c = saslName[i];
        if (c == '\0' || c == ',')
            return std::nullopt;
        if (c != '=') {
            name += c;
            continue;
        }
        const std::string_view escape = saslName.substr(i + 1, 2);
        if (escape == "2C")
            name += ',';
        else if (escape == "3D")
            name += '=';
        else
            return std::nullopt;
        i += 2;
    }
    if (name.empty())
        return std::nullopt;
    return name;
}

bool isPrintableNonce(std::string_view nonce)
{
    if (nonce.empty())
        return false;
    for (const char c : nonce)
        if (c < 0x21 || c > 0x7e || c == ',')
            return false;
    return true;
}

std::string encodeSaslName(std::string_view name)
{
    std::string out;
    for (const char c : name) {
        if (c == ',')
            out += "=2C";
        else if (c == '=')
            out += "=3D";
        else
            out += c;
    }
    return out;
}

} // namespace skiff::auth
