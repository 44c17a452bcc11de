// Recovery: torn tails at every byte, damaged records, contiguity and missing segments.
#include "WalTestUtil.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <filesystem>

using namespace skiff;
using namespace skiff::wal;
using namespace skiff::wal::test;

class WalRecoveryTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::string path(const char *name) const { return (m_tmp.path() + "/" + name).toStdString(); }

    // A WAL over several segments whose last segment ends with: entry 29, hard state B, entry 30.
    std::string buildReference()
    {
        const std::string dir = path("reference");
        std::filesystem::remove_all(dir);
        WalOptions opt;
        opt.segmentBytes = 250;
        const raft::HardState hsA = hardState(1, 1, 20);
        {
            auto wal = openOrFail(dir, opt);
            if (!wal)
                return {};
            for (uint64_t i = 1; i <= 20; ++i)
                if (!wal->append({entry(i, 1)}, i == 20 ? &hsA : nullptr).isOk())
                    return {};
            if (wal->segmentCount() < 3)
                return {};
        }
        // Reopened with large segments so that everything from 21 on shares the last segment.
        auto wal = openOrFail(dir);
        if (!wal)
            return {};
        for (uint64_t i = 21; i <= 28; ++i)
            if (!wal->append({entry(i, 1)}).isOk())
                return {};
        const raft::HardState hsB = hardState(1, 1, 28);
        if (!wal->append({entry(29, 1)}, &hsB).isOk() || !wal->append({entry(30, 1)}).isOk() || !wal->sync().isOk())
            return {};
        return dir;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void truncateAtEveryByteOfTheLastThreeRecords()
    {
        const std::string ref = buildReference();
        QVERIFY(!ref.empty());
        const auto segments = segmentPaths(ref);
        QVERIFY(segments.size() >= 3);
        const std::string lastName = std::filesystem::path(segments.back()).filename().string();
        const std::string bytes = readFile(segments.back());
        const auto spans = recordSpans(bytes);
        QVERIFY(spans.size() >= 5);
        const RecordSpan e29 = spans[spans.size() - 3], hsB = spans[spans.size() - 2], e30 = spans.back();
        QCOMPARE(e29.type, RecordType::Entry);
        QCOMPARE(hsB.type, RecordType::HardState);
        QCOMPARE(e30.type, RecordType::Entry);
        QCOMPARE(e30.offset + e30.size, bytes.size());

        const std::string dir = path("cut");
        QTest::failOnWarning(QRegularExpression("torn tail"));
        for (size_t cut = e29.offset; cut < bytes.size(); ++cut) {
            copyDir(ref, dir);
            std::filesystem::resize_file(dir + "/" + lastName, cut);
            // The durable prefix: records wholly before the cut.
            const uint64_t expectLast = cut >= e29.offset + e29.size ? 29 : 28;
            const uint64_t expectCommit = cut >= hsB.offset + hsB.size ? 28 : 20;
            const QString at = QString("cut at %1").arg(cut);
            const size_t keep = cut >= hsB.offset + hsB.size ? hsB.offset + hsB.size
                              : cut >= e29.offset + e29.size ? e29.offset + e29.size
                                                             : e29.offset;
            if (cut > keep) // logged exactly once, naming file and offset (failOnWarning catches a repeat)
                QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QString::fromStdString(
                                                       lastName + ": torn tail at offset " + std::to_string(keep) + " ")));
            {
                auto wal = openOrFail(dir);
                QVERIFY2(wal, qPrintable(at));
                RecoveredState st = wal->takeRecovered();
                QVERIFY2(indexes(st.entries) == range(1, expectLast), qPrintable(at));
                QCOMPARE(st.hardState.commit(), expectCommit);
                QCOMPARE(st.tornBytesDropped, uint64_t(cut - keep));
                QCOMPARE(wal->lastIndex(), expectLast);
                QCOMPARE(wal->durableIndex(), expectLast);
                // The log continues where the durable prefix ends, with a new term.
                QVERIFY(wal->append({entry(expectLast + 1, 2)}).isOk());
                QVERIFY(wal->sync().isOk());
            }
            auto wal = openOrFail(dir);
            QVERIFY2(wal, qPrintable(at));
            RecoveredState st = wal->takeRecovered();
            QVERIFY2(indexes(st.entries) == range(1, expectLast + 1), qPrintable(at));
            QCOMPARE(st.entries.back().term(), uint64_t(2));
            QCOMPARE(st.hardState.commit(), expectCommit);
            QCOMPARE(st.tornBytesDropped, uint64_t(0));
        }
    }

    void flippedByteInLastRecordIsATornTail()
    {
        const std::string ref = buildReference();
        QVERIFY(!ref.empty());
        const std::string lastName = std::filesystem::path(segmentPaths(ref).back()).filename().string();
        const std::string bytes = readFile(segmentPaths(ref).back());
        const RecordSpan e30 = recordSpans(bytes).back();
        const std::string dir = path("flipLast");
        for (size_t pos = e30.offset; pos < bytes.size(); ++pos) {
            copyDir(ref, dir);
            std::string damaged = bytes;
            damaged[pos] = char(damaged[pos] ^ 0x40);
            writeFile(dir + "/" + lastName, damaged);
            auto wal = openOrFail(dir);
            QVERIFY2(wal, qPrintable(QString("flip at %1").arg(pos)));
            RecoveredState st = wal->takeRecovered();
            QVERIFY(indexes(st.entries) == range(1, 29));
            QCOMPARE(st.hardState.commit(), uint64_t(28));
            QCOMPARE(std::filesystem::file_size(dir + "/" + lastName), uintmax_t(e30.offset));
        }
    }

    void flippedByteInMiddleRecordFailsNamingFileAndOffset()
    {
        const std::string ref = buildReference();
        QVERIFY(!ref.empty());
        const auto segments = segmentPaths(ref);
        const std::string dir = path("flipMiddle");
        // (segment, record) pairs: a middle record of the last segment, and the LAST record of a
        // non-last segment (nothing follows it in its file, yet it is not a torn tail).
        const std::string lastBytes = readFile(segments.back());
        const auto lastSpans = recordSpans(lastBytes);
        const std::string firstBytes = readFile(segments.front());
        const auto firstSpans = recordSpans(firstBytes);
        struct Case {
            std::string file;
            std::string bytes;
            RecordSpan span;
        };
        for (const Case &c : {Case{segments.back(), lastBytes, lastSpans[lastSpans.size() - 3]},
                              Case{segments.front(), firstBytes, firstSpans.back()}}) {
            copyDir(ref, dir);
            const std::string name = std::filesystem::path(c.file).filename().string();
            std::string damaged = c.bytes;
            const size_t pos = c.span.offset + c.span.size - 2; // inside the payload
            damaged[pos] = char(damaged[pos] ^ 0x01);
            writeFile(dir + "/" + name, damaged);
            auto r = Wal::open(dir);
            QVERIFY(!r.isOk());
            QCOMPARE(r.status().code(), StatusCode::Corruption);
            const std::string msg = r.status().message();
            QVERIFY2(msg.find(name) != std::string::npos, msg.c_str());
            QVERIFY2(msg.find("offset " + std::to_string(c.span.offset)) != std::string::npos, msg.c_str());
            QVERIFY2(msg.find("entry") != std::string::npos, msg.c_str());
            // Nothing was cut: the file is untouched for the operator to inspect.
            QCOMPARE(readFile(dir + "/" + name), damaged);
        }
    }

    void tornSegmentHeaderDropsTheNewSegment()
    {
        const std::string ref = buildReference();
        QVERIFY(!ref.empty());
        const auto segments = segmentPaths(ref);
        const std::string dir = path("tornHeader");
        copyDir(ref, dir);
        // A roll that crashed right after creating the file: a few bytes of header only.
        const std::string newName = SegmentFile::fileName(31);
        writeFile(dir + "/" + newName, readFile(segments.back()).substr(0, 5));
        {
            auto wal = openOrFail(dir);
            QVERIFY(wal);
            QVERIFY(indexes(wal->takeRecovered().entries) == range(1, 30));
            QVERIFY(!std::filesystem::exists(dir + "/" + newName));
            QVERIFY(wal->append({entry(31, 2)}).isOk());
            QVERIFY(wal->sync().isOk());
        }
        auto wal = openOrFail(dir);
        QVERIFY(wal);
        QVERIFY(indexes(wal->takeRecovered().entries) == range(1, 31));
    }

    void missingMiddleSegmentFails()
    {
        const std::string ref = buildReference();
        QVERIFY(!ref.empty());
        const std::string dir = path("missing");
        copyDir(ref, dir);
        const auto segments = segmentPaths(dir);
        std::filesystem::remove(segments[1]);
        auto r = Wal::open(dir);
        QVERIFY(!r.isOk());
        QCOMPARE(r.status().code(), StatusCode::Corruption);
        QVERIFY2(r.status().message().find("missing") != std::string::npos, r.status().message().c_str());
    }

    void nonContiguousEntriesFail()
    {
        const std::string dir = path("gap");
        std::filesystem::create_directories(dir);
        std::string bytes;
        appendRecord(bytes, RecordType::SegmentHeader, encodeSegmentHeader(1));
        const size_t gapOffset = [&] {
            appendRecord(bytes, RecordType::Entry, entry(1, 1).SerializeAsString());
            const size_t at = bytes.size();
            appendRecord(bytes, RecordType::Entry, entry(3, 1).SerializeAsString());
            return at;
        }();
        appendRecord(bytes, RecordType::Entry, entry(4, 1).SerializeAsString());
        writeFile(dir + "/" + SegmentFile::fileName(1), bytes);
        auto r = Wal::open(dir);
        QVERIFY(!r.isOk());
        QCOMPARE(r.status().code(), StatusCode::Corruption);
        const std::string msg = r.status().message();
        QVERIFY2(msg.find("offset " + std::to_string(gapOffset)) != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("entry index 3 where 2") != std::string::npos, msg.c_str());
    }

    void garbageDoesNotLookLikeARecord()
    {
        // Zero-filled tails (preallocated or never written blocks) must not decode as records.
        const std::string zeros(64, '\0');
        QVERIFY(decodeRecord(zeros, 0).outcome != DecodedRecord::Outcome::Ok);
        QCOMPARE(findValidRecordAfter(zeros, 0), std::string_view::npos);
    }
};

QTEST_GUILESS_MAIN(WalRecoveryTest)
#include "WalRecoveryTest.moc"
