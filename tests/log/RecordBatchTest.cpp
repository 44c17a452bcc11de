#include "LogTestUtil.h"

#include "common/Crc32c.h"
#include "log/ByteOrder.h"
#include "log/RecordBatch.h"
#include "log/RecordBatchBuilder.h"

#include <QTest>
#include <limits>

using namespace skiff::log;
using namespace skiff::log::test;

class RecordBatchTest : public QObject {
    Q_OBJECT
private slots:
    void recordSetMeasuredFromBatchHeaders()
    {
        const std::string a = makeBatch(3, 1000), b = makeBatch(5, 2000, 100);
        const RecordSetSize both = measureRecordSet(a + b);
        QCOMPARE(both.records, uint64_t(8));
        QCOMPARE(both.bytes, uint64_t(a.size() + b.size()));
        // A fetch may end in part of a batch: its bytes count, its records do not.
        const std::string cut = a + b.substr(0, b.size() / 2);
        QCOMPARE(measureRecordSet(cut).records, uint64_t(3));
        QCOMPARE(measureRecordSet(cut).bytes, uint64_t(cut.size()));
        QCOMPARE(measureRecordSet({}).records, uint64_t(0));
        QCOMPARE(measureRecordSet({}).bytes, uint64_t(0));
    }

    void builderProducesValidBatch()
    {
        RecordBatchBuilder b;
        b.setProducer(7, 3, 100);
        b.add(Record{std::nullopt, std::string("value"), {{"h", "hv"}}, 1000});
        b.add(Record{std::string("key"), std::nullopt, {}, 1005});
        b.add("k", "v", 990);
        std::string bytes = b.build();
        auto v = validateBatches(bytes, 1 << 20);
        QVERIFY2(v.isOk(), v.message.c_str());
        QCOMPARE(v.batches.size(), size_t(1));
        const auto &h = v.batches[0].header;
        QCOMPARE(h.magic, int8_t(2));
        QCOMPARE(h.recordsCount, 3);
        QCOMPARE(h.lastOffsetDelta, 2);
        QCOMPARE(h.baseTimestamp, int64_t(1000));
        QCOMPARE(h.maxTimestamp, int64_t(1005));
        QCOMPARE(h.producerId, int64_t(7));
        QCOMPARE(h.producerEpoch, int16_t(3));
        QCOMPARE(h.baseSequence, 100);
        QCOMPARE(h.lastSequence(), 102);
        QCOMPARE(h.totalSize(), bytes.size());
        QCOMPARE(h.crc, skiff::crc32c(0, bytes.data() + 21, bytes.size() - 21));
    }

    void sequenceWrapsAtInt32Max()
    {
        RecordBatchBuilder b;
        b.setProducer(1, 0, std::numeric_limits<int32_t>::max() - 1);
        for (int i = 0; i < 4; ++i)
            b.add("k", "v", 1);
        auto h = RecordBatchHeader::parse(b.build().data());
        QCOMPARE(h.lastSequence(), 1);
    }

    void splitsMultipleBatches()
    {
        std::string a = makeBatch(1, 10), b = makeBatch(5, 20), c = makeBatch(2, 30, 500);
        auto v = validateBatches(a + b + c, 1 << 20);
        QVERIFY2(v.isOk(), v.message.c_str());
        QCOMPARE(v.batches.size(), size_t(3));
        QCOMPARE(v.batches[1].position, a.size());
        QCOMPARE(v.batches[2].position, a.size() + b.size());
        QCOMPARE(v.batches[2].header.recordsCount, 2);
    }

    void flippedByteIsCorrupt()
    {
        std::string good = makeBatch(3, 1000) + makeBatch(2, 2000);
        size_t second = RecordBatchHeader::parse(good.data()).totalSize();
        // Every byte from the CRC field on is covered by the CRC (or is the CRC itself).
        for (size_t base : {size_t(0), second}) {
            size_t end = base == 0 ? second : good.size();
            for (size_t pos = base + batch::kCrc; pos < end; ++pos) {
                std::string bad = good;
                bad[pos] = static_cast<char>(bad[pos] ^ 0x20);
                auto v = validateBatches(bad, 1 << 20);
                QVERIFY2(v.error == LogErrc::CorruptMessage,
                         qPrintable(QString("flip at %1 gave %2").arg(pos).arg(logErrcName(v.error))));
                QVERIFY(v.batches.empty());
            }
        }
    }

    void corruptLengthIsCorrupt()
    {
        std::string good = makeBatch(3, 1000);
        for (int32_t len : {0, 10, 48, int32_t(good.size()) - 13, int32_t(good.size()) - 11}) {
            std::string bad = good;
            writeBigEndian<int32_t>(bad.data() + batch::kBatchLength, len);
            QCOMPARE(validateBatches(bad, 1 << 20).error, LogErrc::CorruptMessage);
        }
    }

    void inconsistentCountIsCorrupt()
    {
        std::string bad = makeBatch(3, 1000);
        writeBigEndian<int32_t>(bad.data() + batch::kRecordsCount, 4);
        writeBigEndian<uint32_t>(bad.data() + batch::kCrc, computeBatchCrc(bad.data(), bad.size()));
        QCOMPARE(validateBatches(bad, 1 << 20).error, LogErrc::CorruptMessage);
    }

    void oldMagicIsUnsupported()
    {
        std::string bad = makeBatch(3, 1000);
        bad[batch::kMagic] = 1;
        auto v = validateBatches(bad, 1 << 20);
        QCOMPARE(v.error, LogErrc::UnsupportedForMessageFormat);
        bad[batch::kMagic] = 0;
        QCOMPARE(validateBatches(bad, 1 << 20).error, LogErrc::UnsupportedForMessageFormat);
        // Also when only the second batch is old.
        std::string set = makeBatch(1, 1) + makeBatch(1, 2);
        set[RecordBatchHeader::parse(set.data()).totalSize() + batch::kMagic] = 1;
        QCOMPARE(validateBatches(set, 1 << 20).error, LogErrc::UnsupportedForMessageFormat);
    }

    void unknownCompressionCodecIsUnsupported()
    {
        // Codecs 0-4 are Kafka's; 5-7 name nothing a consumer can decode. The CRC is fixed up so
        // only the codec is wrong, as a hostile or broken producer would send it.
        for (int codec = 0; codec <= 7; ++codec) {
            std::string b = makeBatch(2, 1000);
            writeBigEndian<int16_t>(b.data() + batch::kAttributes, int16_t(codec));
            writeBigEndian<uint32_t>(b.data() + batch::kCrc, computeBatchCrc(b.data(), b.size()));
            auto v = validateBatches(makeBatch(1, 1) + b, 1 << 20);
            if (codec <= 4) {
                // Bodies of compressed batches are not parsed, so this uncompressed body passes.
                QVERIFY2(v.isOk(), v.message.c_str());
                continue;
            }
            QCOMPARE(v.error, LogErrc::UnsupportedCompressionType);
            QVERIFY(v.batches.empty());   // the good first batch is not kept either
            QVERIFY2(v.message.find("compression codec " + std::to_string(codec)) != std::string::npos, v.message.c_str());
        }
    }

    void tooLarge()
    {
        std::string big = makeBatch(4, 1000, 300);
        auto exact = static_cast<int32_t>(big.size());
        QVERIFY(validateBatches(big, exact).isOk());
        auto v = validateBatches(big, exact - 1);
        QCOMPARE(v.error, LogErrc::MessageTooLarge);
        QVERIFY(v.message.find(std::to_string(big.size())) != std::string::npos);
    }

    void truncatedSetIsCorrupt()
    {
        std::string set = makeBatch(2, 1) + makeBatch(3, 2);
        QCOMPARE(validateBatches({}, 1 << 20).error, LogErrc::CorruptMessage);
        for (size_t len = 1; len < set.size(); ++len) {
            size_t first = RecordBatchHeader::parse(set.data()).totalSize();
            if (len == first)
                continue; // a complete first batch alone is a valid set
            auto v = validateBatches(std::string_view(set).substr(0, len), 1 << 20);
            QVERIFY2(v.error == LogErrc::CorruptMessage, qPrintable(QString("length %1").arg(len)));
        }
    }

    void randomMutationsNeverPassUnnoticed()
    {
        // Deterministic pseudo-random damage: validation must not crash or read out of bounds
        // (run under ASan in development), and any damaged CRC-covered byte must be rejected.
        std::string good = makeBatch(5, 1000, 40) + makeBatch(2, 2000, 300);
        uint64_t x = 88172645463325252ULL;
        auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
        for (int i = 0; i < 3000; ++i) {
            std::string bad = good;
            int flips = 1 + static_cast<int>(next() % 4);
            for (int f = 0; f < flips; ++f)
                bad[next() % bad.size()] = static_cast<char>(next());
            if (next() % 3 == 0)
                bad.resize(next() % bad.size());
            auto v = validateBatches(bad, 1 << 20);
            // Accepted only if every CRC-covered byte of every batch is the original one (the
            // base offset and leader epoch are outside the CRC by design).
            for (const auto &b : v.batches) {
                size_t len = b.header.totalSize() - batch::kCrc;
                QVERIFY(b.position + batch::kCrc + len <= good.size());
                QVERIFY(bad.compare(b.position + batch::kCrc, len, good, b.position + batch::kCrc, len) == 0);
            }
        }
        std::string noise(4096, '\0');
        for (int i = 0; i < 500; ++i) {
            for (auto &c : noise)
                c = static_cast<char>(next());
            noise[batch::kMagic] = 2;
            QVERIFY(!validateBatches(noise, 1 << 20).isOk());
        }
    }

    void logAppendTimeRewriteKeepsCrcValid()
    {
        std::string b = makeBatch(3, 1000);
        setLogAppendTime(b.data(), b.size(), 123456789);
        auto v = validateBatches(b, 1 << 20);
        QVERIFY2(v.isOk(), v.message.c_str());
        QVERIFY(v.batches[0].header.isLogAppendTime());
        QCOMPARE(v.batches[0].header.maxTimestamp, int64_t(123456789));
        QCOMPARE(v.batches[0].header.baseTimestamp, int64_t(1000));
    }

    void baseOffsetRewriteOutsideCrc()
    {
        std::string b = makeBatch(3, 1000);
        uint32_t crc = RecordBatchHeader::parse(b.data()).crc;
        setBaseOffset(b.data(), 987654321012LL);
        auto v = validateBatches(b, 1 << 20);
        QVERIFY(v.isOk());
        QCOMPARE(v.batches[0].header.baseOffset, 987654321012LL);
        QCOMPARE(v.batches[0].header.lastOffset(), 987654321014LL);
        QCOMPARE(v.batches[0].header.crc, crc);
    }
};

QTEST_GUILESS_MAIN(RecordBatchTest)
#include "RecordBatchTest.moc"
