// ByteReader / ByteWriter primitives: known encodings, symmetry, sticky errors with precise
// messages, hostile lengths rejected before allocation, UTF-8 validation.

#include "TestHex.h"
#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/ByteReader.h"
#include "kafka/protocol/ByteWriter.h"
#include "kafka/protocol/ErrorCode.h"

#include <QTest>
#include <limits>

using namespace skiff::kafka;

using namespace skiff::kafka::test;

class ByteCodecTest : public QObject {
    Q_OBJECT
private slots:
    void fixedWidthIntegersAreBigEndian()
    {
        std::string out;
        ByteWriter w(out);
        w.writeInt8(-2);
        w.writeInt16(0x0102);
        w.writeInt32(-2);
        w.writeInt64(0x0102030405060708LL);
        w.writeUint32(0xdeadbeef);
        w.writeBool(true);
        QCOMPARE(hex(out), std::string("fe0102fffffffe0102030405060708deadbeef01"));
        ByteReader r(out);
        QCOMPARE(r.readInt8(), int8_t(-2));
        QCOMPARE(r.readInt16(), int16_t(0x0102));
        QCOMPARE(r.readInt32(), -2);
        QCOMPARE(r.readInt64(), 0x0102030405060708LL);
        QCOMPARE(r.readUint32(), 0xdeadbeefu);
        QCOMPARE(r.readBool(), true);
        QVERIFY(r.ok());
        QVERIFY(r.atEnd());
    }

    void varintsMatchKnownEncodings()
    {
        const std::pair<int32_t, const char *> zigzag[] = {
            {0, "00"}, {-1, "01"}, {1, "02"}, {-64, "7f"}, {64, "8001"}, {300, "d804"},
            {std::numeric_limits<int32_t>::max(), "feffffff0f"}, {std::numeric_limits<int32_t>::min(), "ffffffff0f"}};
        for (auto [value, expected] : zigzag) {
            std::string out;
            ByteWriter(out).writeVarint(value);
            QCOMPARE(hex(out), std::string(expected));
            ByteReader r(out);
            QCOMPARE(r.readVarint(), value);
            QVERIFY(r.ok() && r.atEnd());
        }
        std::string out;
        ByteWriter w(out);
        w.writeUnsignedVarint(300);
        w.writeUnsignedVarint(0xffffffffu);
        QCOMPARE(hex(out), std::string("ac02ffffffff0f"));
        ByteReader r(out);
        QCOMPARE(r.readUnsignedVarint(), 300u);
        QCOMPARE(r.readUnsignedVarint(), 0xffffffffu);
        for (int64_t v : {int64_t(0), int64_t(-1), int64_t(1) << 40, std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max()}) {
            std::string b;
            ByteWriter(b).writeVarlong(v);
            ByteReader rr(b);
            QCOMPARE(rr.readVarlong(), v);
            QVERIFY(rr.ok() && rr.atEnd());
        }
        std::string minLong;
        ByteWriter(minLong).writeVarlong(std::numeric_limits<int64_t>::min());
        QCOMPARE(hex(minLong), std::string("ffffffffffffffffff01"));
    }

    void overlongVarintsAreErrors()
    {
        const std::string sixBytes = unhex("808080808001");
        ByteReader six(sixBytes);
        six.readUnsignedVarint();
        QVERIFY(!six.ok());
        QVERIFY2(six.error().find("longer than 5 bytes") != std::string::npos, six.error().c_str());
        const std::string overflowBytes = unhex("ffffffff1f");
        ByteReader overflow(overflowBytes); // 5th byte carries more than 4 bits
        overflow.readUnsignedVarint();
        QVERIFY(!overflow.ok());
        const std::string longOverflowBytes = unhex("ffffffffffffffffff03");
        ByteReader longOverflow(longOverflowBytes);
        longOverflow.readVarlong();
        QVERIFY(!longOverflow.ok());
        const std::string truncatedBytes = unhex("8080");
        ByteReader truncated(truncatedBytes);
        truncated.readVarint();
        QVERIFY(!truncated.ok());
    }

    void stringsAndBytesInAllForms()
    {
        std::string out;
        ByteWriter w(out);
        w.writeString("ab");
        w.writeNullableString(std::nullopt);
        w.writeCompactString("ab");
        w.writeCompactNullableString(std::nullopt);
        w.writeCompactNullableString(std::string());
        w.writeBytes(std::string("\0\1", 2));
        w.writeNullableBytes(std::nullopt);
        w.writeCompactBytes("z");
        w.writeCompactNullableBytes(std::nullopt);
        QCOMPARE(hex(out), std::string("00026162ffff036162000100000002" "0001ffffffff027a00"));
        ByteReader r(out);
        QCOMPARE(r.readString(), std::string("ab"));
        QCOMPARE(r.readNullableString(), std::optional<std::string>());
        QCOMPARE(r.readCompactString(), std::string("ab"));
        QCOMPARE(r.readCompactNullableString(), std::optional<std::string>());
        QCOMPARE(r.readCompactNullableString(), std::optional<std::string>(""));
        QCOMPARE(r.readBytes(), std::string("\0\1", 2));
        QCOMPARE(r.readNullableBytes(), std::optional<std::string>());
        QCOMPARE(r.readCompactBytes(), std::string("z"));
        QCOMPARE(r.readCompactNullableBytes(), std::optional<std::string>());
        QVERIFY(r.ok() && r.atEnd());
    }

    void uuidIsSixteenRawBytes()
    {
        Uuid id{};
        for (size_t i = 0; i < id.size(); ++i)
            id[i] = uint8_t(i * 16 + i);
        std::string out;
        ByteWriter(out).writeUuid(id);
        QCOMPARE(hex(out), std::string("00112233445566778899aabbccddeeff"));
        ByteReader r(out);
        QVERIFY(r.readUuid() == id);
        QVERIFY(isZero(Uuid{}));
        QVERIFY(!isZero(id));
    }

    void truncationErrorIsPreciseAndSticky()
    {
        const std::string data = unhex("0000000100000002ff") + std::string(8, 'x') + "ab";
        ByteReader r(data);
        r.readInt32();
        r.readInt32();
        r.readInt8();
        r.readInt64();
        QVERIFY(r.ok());
        QCOMPARE(r.offset(), size_t(17));
        QCOMPARE(r.readInt32(), 0);
        QVERIFY(!r.ok());
        QCOMPARE(r.error(), std::string("truncated: need 4 bytes at offset 17, 2 left (int32)"));
        // Sticky: later reads do not move and do not replace the first error.
        QCOMPARE(r.readInt8(), int8_t(0));
        r.readString();
        QCOMPARE(r.offset(), size_t(17));
        QCOMPARE(r.error(), std::string("truncated: need 4 bytes at offset 17, 2 left (int32)"));
    }

    void hostileLengthsFailBeforeAllocation()
    {
        // An int32 array count of 0x7fffffff over 4 remaining bytes.
        const std::string aBytes = unhex("7fffffff00000000");
        ByteReader a(aBytes);
        QCOMPARE(a.readArrayLength(), 0);
        QVERIFY(!a.ok());
        QCOMPARE(a.error(), std::string("array length 2147483647 at offset 0 exceeds the 4 bytes left"));
        const std::string cBytes = unhex("ffffffff0f00");
        ByteReader c(cBytes);
        c.readCompactArrayLength();
        QVERIFY(!c.ok());
        QVERIFY2(c.error().find("exceeds") != std::string::npos, c.error().c_str());
        const std::string sBytes = unhex("7fff6162");
        ByteReader s(sBytes);
        QCOMPARE(s.readString(), std::string());
        QVERIFY2(s.error().find("string length 32767 at offset 0 exceeds the 2 bytes left") != std::string::npos,
                 s.error().c_str());
        const std::string bBytes = unhex("7ffffff0");
        ByteReader b(bBytes);
        b.readNullableBytes();
        QVERIFY(!b.ok());
        const std::string tagsBytes = unhex("ffffffff0f");
        ByteReader tags(tagsBytes);
        tags.skipTaggedFields();
        QVERIFY(!tags.ok());
        const std::string tagSizeBytes = unhex("0105ffffff7f00");
        ByteReader tagSize(tagSizeBytes);
        tagSize.skipTaggedFields();
        QVERIFY(!tagSize.ok());
    }

    void negativeLengthsOtherThanMinusOneAreErrors()
    {
        const std::string sBytes = unhex("fffe");
        ByteReader s(sBytes);
        s.readNullableString();
        QCOMPARE(s.error(), std::string("invalid length -2 for nullable string at offset 0"));
        const std::string bBytes = unhex("fffffffb");
        ByteReader b(bBytes);
        b.readNullableBytes();
        QCOMPARE(b.error(), std::string("invalid length -5 for nullable bytes at offset 0"));
        const std::string aBytes = unhex("fffffffe");
        ByteReader a(aBytes);
        a.readArrayLength();
        QVERIFY(!a.ok());
        // -1 is only legal where null is.
        const std::string nsBytes = unhex("ffff");
        ByteReader ns(nsBytes);
        ns.readString();
        QCOMPARE(ns.error(), std::string("non-nullable string is null at offset 0"));
        const std::string ncBytes = unhex("00");
        ByteReader nc(ncBytes);
        nc.readCompactString();
        QVERIFY(!nc.ok());
        const std::string nbBytes = unhex("ffffffff");
        ByteReader nb(nbBytes);
        nb.readBytes();
        QVERIFY(!nb.ok());
        const std::string okNullBytes = unhex("ffffffff");
        ByteReader okNull(okNullBytes);
        QCOMPARE(okNull.readArrayLength(), -1);
        QVERIFY(okNull.ok());
    }

    void taggedFieldsSkipUnknownAndCheckKnown()
    {
        // Two fields: tag 3 (2 bytes), tag 9 (0 bytes).
        const std::string data = unhex("0203020102090077");
        ByteReader r(data);
        std::vector<uint32_t> seen;
        r.readTaggedFields([&](uint32_t tag, ByteReader &sub) {
            seen.push_back(tag);
            if (tag == 3) {
                sub.readInt16();
                return true;
            }
            return false;
        });
        QVERIFY(r.ok());
        QCOMPARE(seen, (std::vector<uint32_t>{3, 9}));
        QCOMPARE(r.readInt8(), int8_t(0x77));
        // A known field that leaves bytes unread means we disagree on its layout.
        ByteReader partial(data);
        partial.readTaggedFields([](uint32_t tag, ByteReader &sub) {
            sub.readInt8();
            return tag == 3;
        });
        QVERIFY(!partial.ok());
        QVERIFY2(partial.error().find("tagged field 3 at offset 3 has 1 unread bytes") != std::string::npos,
                 partial.error().c_str());
    }

    void longStringsAreClampedToKeepFraming()
    {
#ifdef NDEBUG
        std::string out;
        ByteWriter(out).writeString(std::string(40000, 'a'));
        ByteReader r(out);
        QCOMPARE(r.readString().size(), size_t(32767));
        QVERIFY(r.atEnd());
#else
        QSKIP("asserts in debug builds");
#endif
    }

    void errorCodesAndApiTable()
    {
        QCOMPARE(int(ErrorCode::UnsupportedVersion), 35);
        QCOMPARE(int(ErrorCode::NotLeaderOrFollower), 6);
        QCOMPARE(int(ErrorCode::UnknownServerError), -1);
        QCOMPARE(int(ErrorCode::ProducerFenced), 90);
        QCOMPARE(int(ErrorCode::UnknownTopicId), 100);
        QCOMPARE(int(ErrorCode::InconsistentTopicId), 103);
        QCOMPARE(std::string(errorCodeName(ErrorCode::InvalidTopicException)), std::string("INVALID_TOPIC_EXCEPTION"));
        QCOMPARE(std::string(errorCodeName(int16_t(3))), std::string("UNKNOWN_TOPIC_OR_PARTITION"));
        QCOMPARE(std::string(errorCodeName(int16_t(9999))), std::string("UNKNOWN_ERROR_CODE"));

        QCOMPARE(requestHeaderVersion(ApiKey::Metadata, 8), int16_t(1));
        QCOMPARE(requestHeaderVersion(ApiKey::Metadata, 9), int16_t(2));
        QCOMPARE(responseHeaderVersion(ApiKey::Metadata, 9), int16_t(1));
        QCOMPARE(responseHeaderVersion(ApiKey::ApiVersions, 3), int16_t(0));
        QCOMPARE(requestHeaderVersion(ApiKey::ApiVersions, 3), int16_t(2));
        QCOMPARE(requestHeaderVersion(ApiKey::DescribeCluster, 0), int16_t(2));
        QCOMPARE(firstFlexibleVersion(ApiKey::Fetch), int16_t(12));
        QCOMPARE(firstFlexibleVersion(ApiKey::OffsetDelete), kNoFlexibleVersion);
        QVERIFY(isSupportedVersion(0, 9));
        QVERIFY(!isSupportedVersion(0, 2));
        QVERIFY(!isSupportedVersion(0, 10));
        QVERIFY(!isSupportedVersion(999, 0));
        QCOMPARE(std::string(apiKeyName(3)), std::string("Metadata"));
        int16_t previous = -1;
        for (const ApiInfo &api : allApis()) {
            QVERIFY(int16_t(api.key) > previous); // sorted, no duplicates
            previous = int16_t(api.key);
            QVERIFY(api.minVersion <= api.maxVersion);
        }
    }
};

QTEST_GUILESS_MAIN(ByteCodecTest)
#include "ByteCodecTest.moc"
