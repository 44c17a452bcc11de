#include "kafka/protocol/ByteWriter.h"

#include <cassert>
#include <limits>

namespace skiff::kafka {

namespace {

template <class T>
void storeBigEndian(char *p, T value)
{
    auto v = static_cast<std::make_unsigned_t<T>>(value);
    for (size_t i = sizeof(T); i-- > 0;) {
        p[i] = static_cast<char>(v & 0xFF);
        v = static_cast<std::make_unsigned_t<T>>(v >> 8);
    }
}

template <class T>
void appendBigEndian(std::string &out, T value)
{
    char buf[sizeof(T)];
    storeBigEndian(buf, value);
    out.append(buf, sizeof(T));
}

std::string_view clampInt16Length(std::string_view v)
{
    constexpr size_t kMax = std::numeric_limits<int16_t>::max();
    assert(v.size() <= kMax && "string too long for an int16 length");
    return v.size() <= kMax ? v : v.substr(0, kMax);
}

} // namespace

void ByteWriter::writeInt8(int8_t v)
{
    m_out.push_back(static_cast<char>(v));
}

void ByteWriter::writeInt16(int16_t v)
{
    appendBigEndian(m_out, v);
}

void ByteWriter::writeInt32(int32_t v)
{
    appendBigEndian(m_out, v);
}

void ByteWriter::writeInt64(int64_t v)
{
    appendBigEndian(m_out, v);
}

void ByteWriter::writeUint32(uint32_t v)
{
    appendBigEndian(m_out, v);
}

void ByteWriter::writeUnsignedVarint(uint32_t v)
{
    while (v >= 0x80) {
        m_out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    m_out.push_back(static_cast<char>(v));
}

void ByteWriter::writeVarint(int32_t v)
{
    const auto u = static_cast<uint32_t>(v);
    writeUnsignedVarint((u << 1) ^ static_cast<uint32_t>(v >> 31));
}

void ByteWriter::writeVarlong(int64_t v)
{
    auto u = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
    while (u >= 0x80) {
        m_out.push_back(static_cast<char>((u & 0x7F) | 0x80));
        u >>= 7;
    }
    m_out.push_back(static_cast<char>(u));
}

void ByteWriter::writeUuid(const Uuid &v)
{
    m_out.append(reinterpret_cast<const char *>(v.data()), v.size());
}

void ByteWriter::writeString(std::string_view v)
{
    v = clampInt16Length(v);
    writeInt16(static_cast<int16_t>(v.size()));
    m_out.append(v);
}

void ByteWriter::writeNullableString(const std::optional<std::string> &v)
{
    if (!v)
        writeInt16(-1);
    else
        writeString(*v);
}

void ByteWriter::writeCompactString(std::string_view v)
{
    writeUnsignedVarint(static_cast<uint32_t>(v.size() + 1));
    m_out.append(v);
}

void ByteWriter::writeCompactNullableString(const std::optional<std::string> &v)
{
    if (!v)
        writeUnsignedVarint(0);
    else
        writeCompactString(*v);
}

void ByteWriter::writeBytes(std::string_view v)
{
    writeInt32(static_cast<int32_t>(v.size()));
    m_out.append(v);
}

void ByteWriter::writeNullableBytes(const std::optional<std::string> &v)
{
    if (!v)
        writeInt32(-1);
    else
        writeBytes(*v);
}

void ByteWriter::writeCompactBytes(std::string_view v)
{
    writeUnsignedVarint(static_cast<uint32_t>(v.size() + 1));
    m_out.append(v);
}

void ByteWriter::writeCompactNullableBytes(const std::optional<std::string> &v)
{
    if (!v)
        writeUnsignedVarint(0);
    else
        writeCompactBytes(*v);
}

void ByteWriter::patchInt32(size_t pos, int32_t v)
{
    assert(pos + 4 <= m_out.size());
    storeBigEndian(m_out.data() + pos, v);
}

} // namespace skiff::kafka
