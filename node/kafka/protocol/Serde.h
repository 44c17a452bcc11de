#pragma once
// INTERNAL to the protocol library (included by messages/*.cpp only).
//
// Each message is described once by `template <class IO> void serde(IO &io, M &m, int16_t v)`.
// ReadIO, WriteIO and FillIO all offer the same operations, so decoding, encoding and the test
// populator walk exactly the same fields in the same order and cannot disagree. WriteIO receives
// a const message through const_cast and never modifies it.
//
// Tagged fields are described with io.tags([&](auto &t) { t.field(tag, present, fn); ... }) in
// ascending tag order; `present` decides whether the writer emits the field (Kafka omits fields
// equal to their default) and fn(io) (de)serializes the value with a sub-IO.

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/ByteReader.h"
#include "kafka/protocol/ByteWriter.h"
#include "kafka/protocol/Codec.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

class ReadIO {
public:
    ReadIO(ByteReader &r, bool flexible) : m_r(r), m_flexible(flexible) {}
    bool flexible() const { return m_flexible; }
    bool ok() const { return m_r.ok(); }

    void i8(int8_t &v) { v = m_r.readInt8(); }
    void i16(int16_t &v) { v = m_r.readInt16(); }
    void u16(uint16_t &v) { v = static_cast<uint16_t>(m_r.readInt16()); }   // Kafka's uint16 (ports)
    void i32(int32_t &v) { v = m_r.readInt32(); }
    void i64(int64_t &v) { v = m_r.readInt64(); }
    void f64(double &v) { v = std::bit_cast<double>(m_r.readInt64()); } // IEEE 754, big-endian
    void boolean(bool &v) { v = m_r.readBool(); }
    void uuid(Uuid &v) { v = m_r.readUuid(); }
    void string(std::string &v) { v = m_flexible ? m_r.readCompactString() : m_r.readString(); }
    // nullable: whether null is legal in this version (the field may be nullable only in newer ones).
    void nullableString(std::optional<std::string> &v, bool nullable = true)
    {
        if (!nullable)
            v = m_flexible ? m_r.readCompactString() : m_r.readString();
        else
            v = m_flexible ? m_r.readCompactNullableString() : m_r.readNullableString();
    }
    void bytes(std::string &v) { v = m_flexible ? m_r.readCompactBytes() : m_r.readBytes(); }
    void nullableBytes(std::optional<std::string> &v)
    {
        v = m_flexible ? m_r.readCompactNullableBytes() : m_r.readNullableBytes();
    }

    template <class T, class F>
    void array(std::vector<T> &v, F &&elem)
    {
        const size_t at = m_r.offset();
        const int32_t n = arrayLength();
        if (n < 0) {
            if (m_r.ok())
                m_r.fail("non-nullable array is null at offset " + std::to_string(at));
            return;
        }
        readElements(v, n, elem);
    }
    template <class T, class F>
    void nullableArray(std::optional<std::vector<T>> &v, bool nullable, F &&elem)
    {
        const size_t at = m_r.offset();
        const int32_t n = arrayLength();
        if (n < 0) {
            if (!nullable && m_r.ok())
                m_r.fail("non-nullable array is null at offset " + std::to_string(at));
            v.reset();
            return;
        }
        readElements(v.emplace(), n, elem);
    }
    void int32Array(std::vector<int32_t> &v)
    {
        array(v, [](ReadIO &io, int32_t &x) { io.i32(x); });
    }
    void stringArray(std::vector<std::string> &v)
    {
        array(v, [](ReadIO &io, std::string &x) { io.string(x); });
    }

    template <class F>
    void tags(F &&fields)
    {
        if (!m_flexible)
            return;
        m_r.readTaggedFields([&](uint32_t tag, ByteReader &sub) {
            ReadIO subIo(sub, true);
            TagReader t{tag, subIo};
            fields(t);
            return t.handled;
        });
    }
    void noTags() { tags([](auto &) {}); }

private:
    struct TagReader {
        uint32_t tag;
        ReadIO &io;
        bool handled = false;
        template <class F>
        void field(uint32_t fieldTag, bool /*present*/, F &&fn)
        {
            if (fieldTag == tag) {
                handled = true;
                fn(io);
            }
        }
    };

    int32_t arrayLength() { return m_flexible ? m_r.readCompactArrayLength() : m_r.readArrayLength(); }
    template <class T, class F>
    void readElements(std::vector<T> &v, int32_t n, F &elem)
    {
        v.clear();
        // n is already bounded by the bytes left; the cap keeps a large count of tiny
        // elements from reserving sizeof(T) * n up front.
        v.reserve(std::min<size_t>(static_cast<size_t>(n), 64));
        for (int32_t i = 0; i < n && m_r.ok(); ++i)
            elem(*this, v.emplace_back());
    }

    ByteReader &m_r;
    bool m_flexible;
};

class WriteIO {
public:
    WriteIO(ByteWriter &w, bool flexible, std::vector<SplicedBytes> *splices = nullptr)
        : m_w(w), m_flexible(flexible), m_splices(splices)
    {
    }
    bool flexible() const { return m_flexible; }
    bool ok() const { return true; }

    void i8(int8_t &v) { m_w.writeInt8(v); }
    void i16(int16_t &v) { m_w.writeInt16(v); }
    void u16(uint16_t &v) { m_w.writeInt16(static_cast<int16_t>(v)); }
    void i32(int32_t &v) { m_w.writeInt32(v); }
    void i64(int64_t &v) { m_w.writeInt64(v); }
    void f64(double &v) { m_w.writeInt64(std::bit_cast<int64_t>(v)); }
    void boolean(bool &v) { m_w.writeBool(v); }
    void uuid(Uuid &v) { m_w.writeUuid(v); }
    void string(std::string &v) { m_flexible ? m_w.writeCompactString(v) : m_w.writeString(v); }
    void nullableString(std::optional<std::string> &v, bool nullable = true)
    {
        if (!nullable) {
            const std::string_view s = v ? std::string_view(*v) : std::string_view();
            m_flexible ? m_w.writeCompactString(s) : m_w.writeString(s);
        } else {
            m_flexible ? m_w.writeCompactNullableString(v) : m_w.writeNullableString(v);
        }
    }
    void bytes(std::string &v) { m_flexible ? m_w.writeCompactBytes(v) : m_w.writeBytes(v); }
    void nullableBytes(std::optional<std::string> &v)
    {
        if (m_splices && v && v->size() >= kSpliceMinBytes) {
            if (m_flexible)
                m_w.writeUnsignedVarint(static_cast<uint32_t>(v->size() + 1));
            else
                m_w.writeInt32(static_cast<int32_t>(v->size()));
            m_splices->push_back(SplicedBytes{m_w.size(), std::move(*v)});
            return;
        }
        m_flexible ? m_w.writeCompactNullableBytes(v) : m_w.writeNullableBytes(v);
    }

    template <class T, class F>
    void array(std::vector<T> &v, F &&elem)
    {
        arrayLength(static_cast<int32_t>(v.size()));
        for (T &e : v)
            elem(*this, e);
    }
    template <class T, class F>
    void nullableArray(std::optional<std::vector<T>> &v, bool nullable, F &&elem)
    {
        if (!v) {
            arrayLength(nullable ? -1 : 0); // an absent list in a non-nullable version is empty
            return;
        }
        array(*v, elem);
    }
    void int32Array(std::vector<int32_t> &v)
    {
        array(v, [](WriteIO &io, int32_t &x) { io.i32(x); });
    }
    void stringArray(std::vector<std::string> &v)
    {
        array(v, [](WriteIO &io, std::string &x) { io.string(x); });
    }

    template <class F>
    void tags(F &&fields)
    {
        if (!m_flexible)
            return;
        TagCounter counter;
        fields(counter);
        m_w.writeUnsignedVarint(counter.count);
        TagWriter writer{*this};
        fields(writer);
    }
    void noTags() { tags([](auto &) {}); }

private:
    struct TagCounter {
        uint32_t count = 0;
        template <class F>
        void field(uint32_t, bool present, F &&)
        {
            count += present ? 1 : 0;
        }
    };
    struct TagWriter {
        WriteIO &io;
        template <class F>
        void field(uint32_t tag, bool present, F &&fn)
        {
            if (!present)
                return;
            std::string value;
            ByteWriter w(value);
            WriteIO sub(w, true);
            fn(sub);
            io.m_w.writeUnsignedVarint(tag);
            io.m_w.writeUnsignedVarint(static_cast<uint32_t>(value.size()));
            io.m_w.writeRaw(value);
        }
    };

    void arrayLength(int32_t n) { m_flexible ? m_w.writeCompactArrayLength(n) : m_w.writeArrayLength(n); }

    ByteWriter &m_w;
    bool m_flexible;
    std::vector<SplicedBytes> *m_splices;   // null: every field is copied
};

// Gives every visited field a distinct non-default value (see populateAllFields).
class FillIO {
public:
    explicit FillIO(bool flexible) : m_flexible(flexible) {}
    bool flexible() const { return m_flexible; }
    bool ok() const { return true; }

    void i8(int8_t &v) { v = static_cast<int8_t>(1 + next() % 100); }
    void i16(int16_t &v) { v = static_cast<int16_t>(100 + next()); }
    void u16(uint16_t &v) { v = static_cast<uint16_t>(40000 + next()); }   // above INT16_MAX: the sign must survive
    void i32(int32_t &v) { v = 100000 + next(); }
    void i64(int64_t &v) { v = 10000000000LL + next(); }
    void f64(double &v) { v = 0.5 + next(); }
    void boolean(bool &v) { v = !v; } // flips the default, whichever it is
    void uuid(Uuid &v)
    {
        const int n = next();
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = static_cast<uint8_t>(n + int(i) * 17);
    }
    void string(std::string &v) { v = "s" + std::to_string(next()); }
    void nullableString(std::optional<std::string> &v, bool = true) { v = "n" + std::to_string(next()); }
    void bytes(std::string &v) { v = std::string("\0\xff", 2) + std::to_string(next()); }
    void nullableBytes(std::optional<std::string> &v) { v = std::string("\x01\x80", 2) + std::to_string(next()); }

    template <class T, class F>
    void array(std::vector<T> &v, F &&elem)
    {
        v.assign(2, T{});
        for (T &e : v)
            elem(*this, e);
    }
    template <class T, class F>
    void nullableArray(std::optional<std::vector<T>> &v, bool, F &&elem)
    {
        array(v.emplace(), elem);
    }
    void int32Array(std::vector<int32_t> &v)
    {
        array(v, [](FillIO &io, int32_t &x) { io.i32(x); });
    }
    void stringArray(std::vector<std::string> &v)
    {
        array(v, [](FillIO &io, std::string &x) { io.string(x); });
    }

    template <class F>
    void tags(F &&fields)
    {
        if (!m_flexible)
            return;
        TagFiller filler{*this};
        fields(filler);
    }
    void noTags() {}

private:
    struct TagFiller {
        FillIO &io;
        template <class F>
        void field(uint32_t, bool, F &&fn)
        {
            fn(io);
        }
    };
    int next() { return ++m_counter; }

    bool m_flexible;
    int m_counter = 0;
};

Status decodeFailure(const char *message, int16_t version, const std::string &cause);
Status unsupportedVersion(const char *message, int16_t version);

// Out-of-line definitions of the Codec.h templates; messages/*.cpp instantiate them with
// SKIFF_KAFKA_MESSAGE(Type), which needs `serde(IO &, Type &, int16_t)` declared in namespace
// skiff::kafka (found by argument-dependent lookup) and Type::kApiKey / Type::kName.
template <class M>
Result<M> decodeMessage(std::string_view bytes, int16_t version, size_t baseOffset)
{
    if (!isSupportedVersion(static_cast<int16_t>(M::kApiKey), version))
        return unsupportedVersion(M::kName, version);
    ByteReader r(bytes, baseOffset);
    ReadIO io(r, isFlexible(M::kApiKey, version));
    M m{};
    serde(io, m, version);
    if (r.ok() && !r.atEnd())
        r.fail(std::to_string(r.remaining()) + " trailing bytes at offset " + std::to_string(r.offset()));
    if (!r.ok())
        return decodeFailure(M::kName, version, r.error());
    return m;
}

template <class M>
void encodeMessage(std::string &out, const M &m, int16_t version)
{
    ByteWriter w(out);
    WriteIO io(w, isFlexible(M::kApiKey, version));
    serde(io, const_cast<M &>(m), version);
}

template <class M>
void encodeMessageSpliced(std::string &out, std::vector<SplicedBytes> &splices, M &m, int16_t version)
{
    ByteWriter w(out);
    WriteIO io(w, isFlexible(M::kApiKey, version), &splices);
    serde(io, m, version);
}

template <class M>
void populateAllFields(M &m, int16_t version)
{
    FillIO io(isFlexible(M::kApiKey, version));
    serde(io, m, version);
}

#define SKIFF_KAFKA_MESSAGE(Type)                                                                  \
    template Result<Type> decodeMessage<Type>(std::string_view, int16_t, size_t);                 \
    template void encodeMessage<Type>(std::string &, const Type &, int16_t);                      \
    template void populateAllFields<Type>(Type &, int16_t);

} // namespace skiff::kafka
