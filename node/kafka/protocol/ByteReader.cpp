#include "kafka/protocol/ByteReader.h"

#include <cstring>

namespace skiff::kafka {

namespace {

template <class T>
T loadBigEndian(const char *p)
{
    std::make_unsigned_t<T> v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        v = static_cast<std::make_unsigned_t<T>>((v << 8) | static_cast<uint8_t>(p[i]));
    return static_cast<T>(v);
}

} // namespace

void ByteReader::fail(std::string message)
{
    if (m_error.empty())
        m_error = message.empty() ? std::string("decode error") : std::move(message);
}

bool ByteReader::need(size_t size, const char *what)
{
    if (!ok())
        return false;
    if (remaining() < size) {
        fail(std::string("truncated: need ") + std::to_string(size) + " bytes at offset "
             + std::to_string(offset()) + ", " + std::to_string(remaining()) + " left (" + what + ")");
        return false;
    }
    return true;
}

int8_t ByteReader::readInt8()
{
    if (!need(1, "int8"))
        return 0;
    return static_cast<int8_t>(m_data[m_pos++]);
}

int16_t ByteReader::readInt16()
{
    if (!need(2, "int16"))
        return 0;
    const auto v = loadBigEndian<int16_t>(m_data.data() + m_pos);
    m_pos += 2;
    return v;
}

int32_t ByteReader::readInt32()
{
    if (!need(4, "int32"))
        return 0;
    const auto v = loadBigEndian<int32_t>(m_data.data() + m_pos);
    m_pos += 4;
    return v;
}

int64_t ByteReader::readInt64()
{
    if (!need(8, "int64"))
        return 0;
    const auto v = loadBigEndian<int64_t>(m_data.data() + m_pos);
    m_pos += 8;
    return v;
}

uint32_t ByteReader::readUint32()
{
    return static_cast<uint32_t>(readInt32());
}

bool ByteReader::readBool()
{
    return readInt8() != 0;
}

uint64_t ByteReader::readUnsignedVarlong(int maxBytes, const char *what)
{
    const size_t start = offset();
    uint64_t value = 0;
    for (int i = 0; i < maxBytes; ++i) {
        if (!need(1, what))
            return 0;
        const auto b = static_cast<uint8_t>(m_data[m_pos++]);
        value |= uint64_t(b & 0x7F) << (7 * i);
        if ((b & 0x80) == 0) {
            // The last permitted byte may only carry the bits that fit the type.
            const int usedBits = 7 * i;
            const int typeBits = maxBytes == 5 ? 32 : 64;
            if (usedBits + 7 > typeBits && (b >> (typeBits - usedBits)) != 0) {
                fail(std::string(what) + " at offset " + std::to_string(start) + " overflows "
                     + std::to_string(typeBits) + " bits");
                return 0;
            }
            return value;
        }
    }
    fail(std::string(what) + " at offset " + std::to_string(start) + " is longer than "
         + std::to_string(maxBytes) + " bytes");
    return 0;
}

uint32_t ByteReader::readUnsignedVarint()
{
    return static_cast<uint32_t>(readUnsignedVarlong(5, "unsigned varint"));
}

int32_t ByteReader::readVarint()
{
    const auto u = static_cast<uint32_t>(readUnsignedVarlong(5, "varint"));
    return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

int64_t ByteReader::readVarlong()
{
    const uint64_t u = readUnsignedVarlong(10, "varlong");
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

Uuid ByteReader::readUuid()
{
    Uuid id{};
    if (!need(16, "uuid"))
        return id;
    std::memcpy(id.data(), m_data.data() + m_pos, 16);
    m_pos += 16;
    return id;
}

std::string_view ByteReader::readRaw(size_t size)
{
    if (!need(size, "raw bytes"))
        return {};
    const std::string_view v = m_data.substr(m_pos, size);
    m_pos += size;
    return v;
}

std::optional<size_t> ByteReader::checkedLength(int64_t length, bool nullable, const char *what, size_t at)
{
    if (!ok())
        return std::nullopt;
    if (length == -1 && nullable)
        return std::nullopt;
    if (length == -1) {
        fail(std::string("non-nullable ") + what + " is null at offset " + std::to_string(at));
        return std::nullopt;
    }
    if (length < 0) {
        fail("invalid length " + std::to_string(length) + " for " + what + " at offset " + std::to_string(at));
        return std::nullopt;
    }
    if (static_cast<uint64_t>(length) > remaining()) {
        fail(std::string(what) + " length " + std::to_string(length) + " at offset " + std::to_string(at)
             + " exceeds the " + std::to_string(remaining()) + " bytes left");
        return std::nullopt;
    }
    return static_cast<size_t>(length);
}

std::optional<std::string> ByteReader::readCounted(int64_t length, bool nullable, const char *what, size_t at)
{
    const std::optional<size_t> size = checkedLength(length, nullable, what, at);
    if (!size)
        return std::nullopt;
    std::string v(m_data.substr(m_pos, *size));
    m_pos += *size;
    return v;
}

std::string ByteReader::readString()
{
    const size_t at = offset();
    return readCounted(readInt16(), false, "string", at).value_or(std::string());
}

std::optional<std::string> ByteReader::readNullableString()
{
    const size_t at = offset();
    return readCounted(readInt16(), true, "nullable string", at);
}

std::string ByteReader::readCompactString()
{
    const size_t at = offset();
    return readCounted(int64_t(readUnsignedVarint()) - 1, false, "compact string", at).value_or(std::string());
}

std::optional<std::string> ByteReader::readCompactNullableString()
{
    const size_t at = offset();
    return readCounted(int64_t(readUnsignedVarint()) - 1, true, "compact nullable string", at);
}

std::string ByteReader::readBytes()
{
    const size_t at = offset();
    return readCounted(readInt32(), false, "bytes", at).value_or(std::string());
}

std::optional<std::string> ByteReader::readNullableBytes()
{
    const size_t at = offset();
    return readCounted(readInt32(), true, "nullable bytes", at);
}

std::string ByteReader::readCompactBytes()
{
    const size_t at = offset();
    return readCounted(int64_t(readUnsignedVarint()) - 1, false, "compact bytes", at).value_or(std::string());
}

std::optional<std::string> ByteReader::readCompactNullableBytes()
{
    const size_t at = offset();
    return readCounted(int64_t(readUnsignedVarint()) - 1, true, "compact nullable bytes", at);
}

int32_t ByteReader::readArrayLength()
{
    const size_t at = offset();
    const int32_t n = readInt32();
    if (!ok())
        return 0;
    if (n == -1)
        return -1;
    return checkedLength(n, false, "array", at) ? n : 0;
}

int32_t ByteReader::readCompactArrayLength()
{
    const size_t at = offset();
    const int64_t n = int64_t(readUnsignedVarint()) - 1;
    if (!ok())
        return 0;
    if (n == -1)
        return -1;
    return checkedLength(n, false, "compact array", at) ? static_cast<int32_t>(n) : 0;
}

} // namespace skiff::kafka
