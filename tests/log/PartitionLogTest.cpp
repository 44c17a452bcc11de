#include "LogTestUtil.h"

#include "log/PartitionLog.h"

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>

using namespace skiff::log;
using namespace skiff::log::test;

namespace {

// Splits a stored record set into its batches.
std::vector<RecordBatchHeader> headersOf(const std::string &records)
{
    std::vector<RecordBatchHeader> out;
    for (size_t pos = 0; pos + batch::kHeaderSize <= records.size();) {
        out.push_back(RecordBatchHeader::parse(records.data() + pos));
        pos += out.back().totalSize();
    }
    return out;
}

std::shared_ptr<PartitionLog> openLog(const QString &dir, const LogConfig &config)
{
    auto log = PartitionLog::open(dir.toStdString(), config);
    if (!log)
        qFatal("%s", log.status().toString().c_str());
    return log.value();
}

} // namespace

class PartitionLogTest : public QObject {
    Q_OBJECT
private slots:
    void appendReadRoundTrip()
    {
        QTemporaryDir tmp;
        auto log = openLog(tmp.path(), LogConfig{});
        std::string expected;
        std::vector<std::pair<int64_t, int64_t>> ranges;
        for (int i = 0; i < 30; ++i) {
            std::string b = makeBatch(1 + i % 4, 1000 + i, 10 + 37 * i);
            auto r = log->append(b, 5000);
            QVERIFY2(r.isOk(), r.message.c_str());
            QCOMPARE(r.baseOffset, ranges.empty() ? 0 : ranges.back().second + 1);
            QCOMPARE(r.lastOffset, r.baseOffset + i % 4);
            QCOMPARE(r.logAppendTimeMs, int64_t(-1));
            QCOMPARE(r.logStartOffset, int64_t(0));
            ranges.emplace_back(r.baseOffset, r.lastOffset);
            setBaseOffset(b.data(), r.baseOffset);
            setPartitionLeaderEpoch(b.data(), 0); // append() writes in epoch 0 when the log has none
            expected += b;
        }
        QCOMPARE(log->logEndOffset(), ranges.back().second + 1);
        auto all = log->read(0, 1 << 30);
        QVERIFY(all.isOk());
        QVERIFY(all->records == expected); // byte-identical
        QCOMPARE(all->logEndOffset, log->logEndOffset());

        // A fetch inside a batch starts at that batch; maxBytes 1 still returns one whole batch.
        for (const auto &[first, last] : ranges) {
            for (int64_t o = first; o <= last; ++o) {
                auto r = log->read(o, 1);
                QVERIFY(r.isOk());
                auto hs = headersOf(r->records);
                QCOMPARE(hs.size(), size_t(1));
                QCOMPARE(hs[0].baseOffset, first);
                QCOMPARE(hs[0].totalSize(), r->records.size());
            }
        }
        // maxBytes limits whole batches.
        const auto twoBytes = static_cast<int64_t>(headersOf(expected)[0].totalSize() + headersOf(expected)[1].totalSize());
        auto two = log->read(0, twoBytes);
        QCOMPARE(headersOf(two->records).size(), size_t(2));
        QCOMPARE(headersOf(log->read(0, twoBytes - 1)->records).size(), size_t(1));
        QCOMPARE(headersOf(log->read(0, twoBytes + 1)->records).size(), size_t(2));
        // Upper bound: only batches wholly below it.
        int64_t bound = ranges[10].first;
        auto capped = log->read(0, 1 << 30, bound);
        auto hs = headersOf(capped->records);
        QCOMPARE(hs.size(), size_t(10));
        QCOMPARE(hs.back().lastOffset(), bound - 1);
        auto none = log->read(ranges[10].first, 1 << 30, ranges[10].first + 1);
        QVERIFY(none.isOk());
        QVERIFY(none->records.empty() || ranges[10].first == ranges[10].second);
        // At the end: empty; beyond: out of range.
        auto atEnd = log->read(log->logEndOffset(), 100);
        QVERIFY(atEnd.isOk() && atEnd->records.empty());
        auto beyond = log->read(log->logEndOffset() + 1, 100);
        QVERIFY(!beyond.isOk());
        QCOMPARE(beyond.status().code(), skiff::StatusCode::OutOfRange);
    }

    void rejectsInvalidRecordSets()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.maxMessageBytes = 200;
        auto log = openLog(tmp.path(), cfg);
        auto r = log->append(makeBatch(10, 1, 100), 1);
        QCOMPARE(r.error, LogErrc::MessageTooLarge);
        std::string bad = makeBatch(1, 1);
        bad[30] ^= 1;
        QCOMPARE(log->append(bad, 1).error, LogErrc::CorruptMessage);
        QCOMPARE(log->logEndOffset(), int64_t(0));
        QVERIFY(log->read(0, 100)->records.empty());
    }

    void logAppendTime()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.timestampType = TimestampType::LogAppendTime;
        auto log = openLog(tmp.path(), cfg);
        auto r = log->append(makeBatch(3, 1000), 777777);
        QVERIFY(r.isOk());
        QCOMPARE(r.logAppendTimeMs, int64_t(777777));
        auto data = log->read(0, 1 << 20);
        auto v = validateBatches(data->records, 1 << 20);
        QVERIFY2(v.isOk(), v.message.c_str()); // CRC still valid after the rewrite
        QVERIFY(v.batches[0].header.isLogAppendTime());
        QCOMPARE(v.batches[0].header.maxTimestamp, int64_t(777777));
        auto ts = log->offsetForTimestamp(777777);
        QCOMPARE(ts->offset, int64_t(0));
    }

    void rollBySizeAndIndexLookups()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 4096;
        cfg.indexIntervalBytes = 300;
        auto log = openLog(tmp.path(), cfg);
        std::vector<std::pair<int64_t, int64_t>> ranges;
        for (int i = 0; i < 200; ++i) {
            auto r = log->append(makeBatch(1 + i % 3, 1000 * i, 50 + (i * 13) % 200), 1000);
            QVERIFY(r.isOk());
            ranges.emplace_back(r.baseOffset, r.lastOffset);
        }
        QVERIFY(log->segmentCount() > 5);
        auto bases = log->segmentBaseOffsets();
        for (size_t i = 0; i < bases.size(); ++i) {
            std::string path = tmp.path().toStdString() + "/" + segmentName(bases[i], ".log");
            QVERIFY(std::filesystem::file_size(path) <= 4096);
            QVERIFY(std::filesystem::file_size(path) > 0);
            // Segments start at batch boundaries.
            QVERIFY(std::any_of(ranges.begin(), ranges.end(), [&](auto &r) { return r.first == bases[i]; }));
        }
        QVERIFY(std::filesystem::file_size(tmp.path().toStdString() + "/" + segmentName(bases[1], ".index")) > 0);
        for (const auto &[first, last] : ranges) {
            for (int64_t o = first; o <= last; ++o) {
                auto r = log->read(o, 1);
                QVERIFY(r.isOk());
                QCOMPARE(RecordBatchHeader::parse(r->records.data()).baseOffset, first);
            }
        }
        // A read spanning segments returns consecutive batches.
        auto all = log->read(0, 1 << 30);
        auto hs = headersOf(all->records);
        QCOMPARE(hs.size(), ranges.size());
        for (size_t i = 0; i < hs.size(); ++i)
            QCOMPARE(hs[i].baseOffset, ranges[i].first);
        // maxBytes counts across segments: every prefix of whole batches, and a byte less takes one
        // batch fewer (the first segment's tail is cut mid-read, the next one is not read at all).
        size_t prefix = 0;
        for (size_t n = 1; n <= hs.size(); ++n) {
            prefix += hs[n - 1].totalSize();
            auto exact = log->read(0, static_cast<int64_t>(prefix));
            QVERIFY(exact.isOk());
            QCOMPARE(exact->records, all->records.substr(0, prefix));
            auto under = log->read(0, static_cast<int64_t>(prefix) - 1);
            QCOMPARE(headersOf(under->records).size(), std::max<size_t>(n - 1, 1));
        }
    }

    void rollByAge()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentMs = 1000;
        auto log = openLog(tmp.path(), cfg);
        QVERIFY(log->append(makeBatch(1, 1), 10000).isOk());
        QVERIFY(log->append(makeBatch(1, 1), 10500).isOk());
        QVERIFY(log->append(makeBatch(1, 1), 11000).isOk());
        QCOMPARE(log->segmentCount(), size_t(1));
        QVERIFY(log->append(makeBatch(1, 1), 11001).isOk()); // > segment.ms after the first batch
        QCOMPARE(log->segmentCount(), size_t(2));
        QCOMPARE(log->segmentBaseOffsets()[1], int64_t(3));
        QVERIFY(log->append(makeBatch(1, 1), 12001).isOk());
        QCOMPARE(log->segmentCount(), size_t(2));
        QVERIFY(log->append(makeBatch(1, 1), 12002).isOk());
        QCOMPARE(log->segmentCount(), size_t(3));
    }

    void offsetForTimestamp()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 2000;
        cfg.indexIntervalBytes = 200;
        auto log = openLog(tmp.path(), cfg);
        // Batch i: 3 records at 1000*i + {0, 10, 20}; offsets 3i..3i+2.
        for (int i = 1; i <= 60; ++i) {
            RecordBatchBuilder b;
            for (int k = 0; k < 3; ++k)
                b.add("k", std::string(40, 'v'), 1000 * i + 10 * k);
            QVERIFY(log->append(b.build(), 0).isOk());
        }
        QVERIFY(log->segmentCount() > 3);
        for (int i = 1; i <= 60; ++i) {
            for (int k = 0; k < 3; ++k) {
                int64_t base = 3 * (i - 1);
                auto exact = log->offsetForTimestamp(1000 * i + 10 * k);
                QVERIFY(exact.isOk());
                QCOMPARE(exact->offset, base + k);
                QCOMPARE(exact->timestamp, int64_t(1000 * i + 10 * k));
                auto between = log->offsetForTimestamp(1000 * i + 10 * k - 5);
                QCOMPARE(between->offset, base + k);
            }
        }
        QCOMPARE(log->offsetForTimestamp(0)->offset, int64_t(0));
        QCOMPARE(log->offsetForTimestamp(60 * 1000 + 21)->offset, int64_t(-1));
        QCOMPARE(log->offsetForTimestamp(1LL << 50)->offset, int64_t(-1));
    }

    void maxTimestampFindsTheLatestStampedRecordAcrossSegments()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 600;
        auto log = openLog(tmp.path(), cfg);
        QCOMPARE(log->maxTimestamp()->offset, int64_t(-1));
        // Timestamps are not monotonic: the largest sits in an early batch.
        const int64_t stamps[] = {5000, 9000, 7000, 3000, 8000, 1000};
        for (int64_t ts : stamps)
            QVERIFY(log->append(makeBatch(2, ts, 100), 0).isOk());
        QVERIFY(log->segmentCount() > 1);
        auto max = log->maxTimestamp();
        QVERIFY(max.isOk());
        QCOMPARE(max->timestamp, int64_t(9001));   // second record of batch 1
        QCOMPARE(max->offset, int64_t(3));
    }

    void retentionByTime()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 1000;
        cfg.retentionMs = 10000;
        auto log = openLog(tmp.path(), cfg);
        for (int i = 0; i < 40; ++i)
            QVERIFY(log->append(makeBatch(2, 1000 * i, 100), 0).isOk());
        auto bases = log->segmentBaseOffsets();
        QVERIFY(bases.size() >= 4);
        // Segment k holds timestamps up to that of its last batch; delete those older than now-10000.
        auto r = log->applyRetention(bases.size() * 0 + 25000);
        QVERIFY(r.isOk());
        QVERIFY(r.value() > 0);
        QCOMPARE(log->logStartOffset(), log->segmentBaseOffsets()[0]);
        QVERIFY(log->logStartOffset() > 0);
        // Everything kept has a largest timestamp >= 15000 - 1, everything deleted below it.
        auto first = log->read(log->logStartOffset(), 1 << 30);
        QVERIFY(first.isOk());
        auto below = log->read(log->logStartOffset() - 1, 100);
        QCOMPARE(below.status().code(), skiff::StatusCode::OutOfRange);
        QVERIFY(!std::filesystem::exists(tmp.path().toStdString() + "/" + segmentName(0, ".log")));
        QVERIFY(!std::filesystem::exists(tmp.path().toStdString() + "/" + segmentName(0, ".index")));
        // The oldest kept segment must not have been eligible.
        int64_t keptMaxTs = -1;
        auto rec = log->read(log->logStartOffset(), 1 << 30);
        for (size_t p = 0; p < rec->records.size();) {
            auto h = RecordBatchHeader::parse(rec->records.data() + p);
            if (h.baseOffset >= log->segmentBaseOffsets().at(1))
                break;
            keptMaxTs = std::max(keptMaxTs, h.maxTimestamp);
            p += h.totalSize();
        }
        QVERIFY(25000 - keptMaxTs <= 10000);
        // Far future: everything but the active segment goes, the active one stays.
        QVERIFY(log->applyRetention(1LL << 40).isOk());
        QCOMPARE(log->segmentCount(), size_t(1));
        QCOMPARE(log->logStartOffset(), log->segmentBaseOffsets()[0]);
        QVERIFY(log->read(log->logStartOffset(), 100).isOk());
        QCOMPARE(log->append(makeBatch(1, 1), 0).baseOffset, int64_t(80));
    }

    void retentionBySize()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 1000;
        cfg.retentionMs = -1;
        cfg.retentionBytes = 3000;
        auto log = openLog(tmp.path(), cfg);
        for (int i = 0; i < 50; ++i)
            QVERIFY(log->append(makeBatch(2, 1, 100), 0).isOk());
        int64_t before = log->sizeInBytes();
        QVERIFY(before > 6000);
        QVERIFY(log->applyRetention(1LL << 40).value() > 0); // time retention is off: size only
        QVERIFY(log->sizeInBytes() <= 3000 + 1000);
        QVERIFY(log->sizeInBytes() >= 3000 - 1000);
        QVERIFY(log->logStartOffset() > 0);
        QCOMPARE(log->read(0, 10).status().code(), skiff::StatusCode::OutOfRange);
        cfg.retentionBytes = 0;
        QVERIFY(log->updateConfig(cfg).isOk());
        QVERIFY(log->applyRetention(0).isOk());
        QCOMPARE(log->segmentCount(), size_t(1)); // never the active segment
    }

    void advanceLogStartOffsetDeletesRecordsAcrossRestarts()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 1000;
        {
            auto log = openLog(tmp.path(), cfg);
            for (int i = 0; i < 20; ++i)
                QVERIFY(log->append(makeBatch(2, 1, 100), 0).isOk());
            log->setHighWatermark(30);
            const size_t segments = log->segmentCount();
            QVERIFY(segments >= 4);
            // Above the high watermark: refused, nothing moves.
            QCOMPARE(log->advanceLogStartOffset(31).code(), skiff::StatusCode::OutOfRange);
            QCOMPARE(log->logStartOffset(), int64_t(0));
            // Inside a batch of a later segment: whole segments below it go, the start is exact.
            QVERIFY(log->advanceLogStartOffset(25).isOk());
            QCOMPARE(log->logStartOffset(), int64_t(25));
            QVERIFY(log->segmentCount() < segments);
            QVERIFY(log->segmentBaseOffsets()[0] <= 25);
            QCOMPARE(log->read(24, 100).status().code(), skiff::StatusCode::OutOfRange);
            auto at = log->read(25, 100);
            QVERIFY(at.isOk());
            QCOMPARE(headersOf(at->records).at(0).baseOffset, int64_t(24)); // the batch holding 25
            // A timestamp lookup finds no deleted record.
            QCOMPARE(log->offsetForTimestamp(0)->offset, int64_t(25));
            // Never backwards.
            QVERIFY(log->advanceLogStartOffset(10).isOk());
            QCOMPARE(log->logStartOffset(), int64_t(25));
            QVERIFY(log->close().isOk());
        }
        auto log = openLog(tmp.path(), cfg);
        QCOMPARE(log->logStartOffset(), int64_t(25));
        QCOMPARE(log->logEndOffset(), int64_t(40));
        QCOMPARE(log->read(24, 100).status().code(), skiff::StatusCode::OutOfRange);
        // A follower restarting below its start forgets the checkpoint with the old records.
        QVERIFY(log->truncateFullyAndStartAt(3).isOk());
        QCOMPARE(log->logStartOffset(), int64_t(3));
        QCOMPARE(log->append(makeBatch(1, 1), 0).baseOffset, int64_t(3));
    }

    void reopenContinuesOffsets()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 1500;
        std::string expected;
        {
            auto log = openLog(tmp.path(), cfg);
            for (int i = 0; i < 20; ++i)
                QVERIFY(log->append(makeBatch(2, 100 * i, 80), 0).isOk());
            expected = log->read(0, 1 << 30)->records;
            QVERIFY(log->close().isOk());
        }
        auto log = openLog(tmp.path(), cfg);
        QCOMPARE(log->logEndOffset(), int64_t(40));
        QCOMPARE(log->durableEndOffset(), int64_t(40));
        QVERIFY(log->read(0, 1 << 30)->records == expected);
        QCOMPARE(log->append(makeBatch(1, 1), 0).baseOffset, int64_t(40));
        QCOMPARE(log->offsetForTimestamp(1000)->offset, int64_t(20));
    }

    void invalidConfigIsRejected()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 3LL << 30; // index positions are 32-bit
        auto r = PartitionLog::open(tmp.path().toStdString(), cfg);
        QCOMPARE(r.status().code(), skiff::StatusCode::InvalidArgument);
        QVERIFY(r.status().message().find("segment.bytes") != std::string::npos);
        auto log = openLog(tmp.path(), LogConfig{});
        cfg = LogConfig{};
        cfg.retentionMs = -2;
        QCOMPARE(log->updateConfig(cfg).code(), skiff::StatusCode::InvalidArgument);
        QCOMPARE(log->config().retentionMs, LogConfig{}.retentionMs);
    }

    void removeDeletesFiles()
    {
        QTemporaryDir tmp;
        std::string dir = tmp.path().toStdString() + "/t-0";
        auto log = PartitionLog::open(dir, LogConfig{}).value();
        QVERIFY(log->append(makeBatch(1, 1), 0).isOk());
        QVERIFY(std::filesystem::exists(dir));
        QVERIFY(log->remove().isOk());
        QVERIFY(!std::filesystem::exists(dir));
        QVERIFY(!log->append(makeBatch(1, 1), 0).isOk());
    }
};

QTEST_GUILESS_MAIN(PartitionLogTest)
#include "PartitionLogTest.moc"
