#pragma once
// Bounds-checked big-endian reader for Kafka's wire primitives.
//
// Errors are sticky: the first failure is recorded with its offset and every later read returns a
// zero value without moving, so decoders can read a whole struct and check ok() once. Every length
// (string, bytes, array, tagged field) is compared with the bytes that are actually left BEFORE
// anything is allocated, so a hostile 0x7fffffff count costs nothing.

#include "kafka/protocol/Uuid.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::kafka {

class ByteReader {
public:
    // baseOffset is added to positions in error messages (a sub-reader over a tagged field
    // reports offsets in the enclosing frame).
    explicit ByteReader(std::string_view data, size_t baseOffset = 0)
        : m_data(data), m_base(baseOffset)
    {
    }
    // The reader keeps a view: refuse temporaries that would dangle.
    ByteReader(std::string &&, size_t = 0) = delete;

    bool ok() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    size_t offset() const { return m_base + m_pos; }
    size_t remaining() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos == m_data.size(); }
    // Records an error unless one is already recorded (the first cause is the useful one).
    void fail(std::string message);

    int8_t readInt8();
    int16_t readInt16();
    int32_t readInt32();
    int64_t readInt64();
    uint32_t readUint32();
    bool readBool(); // any non-zero byte is true, like Kafka
    int32_t readVarint();   // zigzag
    int64_t readVarlong();  // zigzag
    uint32_t readUnsignedVarint();
    Uuid readUuid();
    std::string_view readRaw(size_t size);

    // int16 length; -1 (null) is an error for the non-nullable form.
    std::string readString();
    std::optional<std::string> readNullableString();
    // Unsigned varint length + 1; 0 means null.
    std::string readCompactString();
    std::optional<std::string> readCompactNullableString();
    // int32 length.
    std::string readBytes();
    std::optional<std::string> readNullableBytes();
    std::string readCompactBytes();
    std::optional<std::string> readCompactNullableBytes();

    // Array element counts: -1 means null, anything else is validated against remaining() (every
    // element takes at least one byte). Callers decide whether null is allowed.
    int32_t readArrayLength();
    int32_t readCompactArrayLength();

    // Reads a tagged-fields section. onField(tag, subReader) returns true when it decoded the
    // field (it must consume the whole sub-reader); unknown tags are skipped.
    template <class F>
    void readTaggedFields(F &&onField);
    void skipTaggedFields()
    {
        readTaggedFields([](uint32_t, ByteReader &) { return false; });
    }

private:
    bool need(size_t size, const char *what);
    // Validated length of a string/bytes value; nullopt for null (-1) or error.
    std::optional<size_t> checkedLength(int64_t length, bool nullable, const char *what, size_t at);
    std::optional<std::string> readCounted(int64_t length, bool nullable, const char *what, size_t at);
    uint64_t readUnsignedVarlong(int maxBytes, const char *what);

    std::string_view m_data;
    size_t m_base = 0;
    size_t m_pos = 0;
    std::string m_error;
};

template <class F>
void ByteReader::readTaggedFields(F &&onField)
{
    const size_t countAt = offset();
    const uint32_t count = readUnsignedVarint();
    if (!ok())
        return;
    // Each field needs at least two bytes (tag and size).
    if (count > remaining() / 2) {
        fail("tagged field count " + std::to_string(count) + " at offset " + std::to_string(countAt)
             + " exceeds the " + std::to_string(remaining()) + " bytes left");
        return;
    }
    for (uint32_t i = 0; i < count && ok(); ++i) {
        const uint32_t tag = readUnsignedVarint();
        const uint32_t size = readUnsignedVarint();
        const size_t dataAt = offset();
        const std::string_view data = readRaw(size);
        if (!ok())
            return;
        ByteReader sub(data, dataAt);
        if (!onField(tag, sub))
            continue;
        if (!sub.ok())
            fail(sub.error());
        else if (!sub.atEnd())
            fail("tagged field " + std::to_string(tag) + " at offset " + std::to_string(dataAt) + " has "
                 + std::to_string(sub.remaining()) + " unread bytes");
    }
}

} // namespace skiff::kafka
