#pragma once
// Appends Kafka wire primitives to a std::string; the mirror of ByteReader. Writing cannot fail:
// values that cannot be represented (a string longer than 32767 bytes in an int16-length field)
// are truncated so the framing stays valid, and an assert fires in debug builds.

#include "kafka/protocol/Uuid.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::kafka {

class ByteWriter {
public:
    explicit ByteWriter(std::string &out) : m_out(out) {}

    size_t size() const { return m_out.size(); }
    std::string &buffer() { return m_out; }

    void writeInt8(int8_t v);
    void writeInt16(int16_t v);
    void writeInt32(int32_t v);
    void writeInt64(int64_t v);
    void writeUint32(uint32_t v);
    void writeBool(bool v) { writeInt8(v ? 1 : 0); }
    void writeVarint(int32_t v);  // zigzag
    void writeVarlong(int64_t v); // zigzag
    void writeUnsignedVarint(uint32_t v);
    void writeUuid(const Uuid &v);
    void writeRaw(std::string_view bytes) { m_out.append(bytes); }

    void writeString(std::string_view v);
    void writeNullableString(const std::optional<std::string> &v);
    void writeCompactString(std::string_view v);
    void writeCompactNullableString(const std::optional<std::string> &v);
    void writeBytes(std::string_view v);
    void writeNullableBytes(const std::optional<std::string> &v);
    void writeCompactBytes(std::string_view v);
    void writeCompactNullableBytes(const std::optional<std::string> &v);

    // count -1 writes a null array.
    void writeArrayLength(int32_t count) { writeInt32(count); }
    void writeCompactArrayLength(int32_t count) { writeUnsignedVarint(static_cast<uint32_t>(count + 1)); }
    void writeEmptyTaggedFields() { writeUnsignedVarint(0); }

    // Overwrites 4 bytes at pos (frame size prefixes written after the body).
    void patchInt32(size_t pos, int32_t v);

private:
    std::string &m_out;
};

} // namespace skiff::kafka
