// Append, conflicting-suffix truncation, snapshot markers, compaction, hard state, inline sync.
#include "WalTestUtil.h"

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>

using namespace skiff;
using namespace skiff::wal;
using namespace skiff::wal::test;

class WalTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    int m_n = 0;
    std::string freshDir() { return (m_tmp.path() + "/w" + QString::number(++m_n)).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void appendAndReopen()
    {
        const std::string dir = freshDir();
        {
            auto wal = openOrFail(dir);
            QVERIFY(wal);
            QCOMPARE(wal->firstIndex(), uint64_t(1));
            QCOMPARE(wal->lastIndex(), uint64_t(0));
            const raft::HardState hs = hardState(1, 2, 3);
            QVERIFY(wal->append(entries(1, 10, 1), &hs).isOk());
            QCOMPARE(wal->lastIndex(), uint64_t(10));
            QVERIFY(wal->sync().isOk());
            QCOMPARE(wal->durableIndex(), uint64_t(10));
        }
        auto wal = openOrFail(dir);
        QVERIFY(wal);
        RecoveredState st = wal->takeRecovered();
        QVERIFY(indexes(st.entries) == range(1, 10));
        QCOMPARE(st.entries[4].data(), entry(5, 1).data());
        QCOMPARE(st.hardState.vote(), uint64_t(2));
        QVERIFY(!st.snapshot);
        QCOMPARE(wal->durableIndex(), uint64_t(10));
    }

    void secondOpenOfTheSameDirectoryFails()
    {
        const std::string dir = freshDir();
        auto first = openOrFail(dir);
        QVERIFY(first);
        auto second = Wal::open(dir);
        QVERIFY(!second.isOk());
        QCOMPARE(second.status().code(), StatusCode::IoError);
        first.reset();
        QVERIFY(Wal::open(dir).isOk());
    }

    void rejectsBadAppends()
    {
        auto wal = openOrFail(freshDir());
        QVERIFY(wal);
        QVERIFY(wal->append(entries(1, 5, 1)).isOk());
        QCOMPARE(wal->append({entry(7, 1)}).code(), StatusCode::InvalidArgument);                 // gap
        QCOMPARE(wal->append({entry(6, 1), entry(8, 1)}).code(), StatusCode::InvalidArgument);    // not contiguous
        QCOMPARE(wal->append({entry(6, 0)}).code(), StatusCode::InvalidArgument);                 // term goes down
        raft::SnapshotMetadata meta;
        meta.set_index(3);
        meta.set_term(1);
        QVERIFY(wal->saveSnapshotMarker(meta).isOk());
        QCOMPARE(wal->append({entry(3, 2)}).code(), StatusCode::FailedPrecondition);              // inside snapshot
        QCOMPARE(wal->lastIndex(), uint64_t(5));
        QVERIFY(wal->append({entry(6, 1)}).isOk()); // rejected calls left no trace
    }

    void conflictingSuffixIsReplaced_data()
    {
        QTest::addColumn<qulonglong>("segmentBytes");
        QTest::newRow("one segment") << 64ull * 1024 * 1024;
        QTest::newRow("across segments") << 300ull; // ~5 entries per segment
    }
    void conflictingSuffixIsReplaced()
    {
        QFETCH(qulonglong, segmentBytes);
        const std::string dir = freshDir();
        WalOptions opt;
        opt.segmentBytes = segmentBytes;
        auto check = [](const std::vector<raft::Entry> &es, uint64_t last) {
            QVERIFY(indexes(es) == range(1, last));
            for (const auto &e : es)
                QCOMPARE(e.term(), uint64_t(e.index() <= 5 ? 1 : 2));
        };
        {
            auto wal = openOrFail(dir, opt);
            QVERIFY(wal);
            QVERIFY(wal->append(entries(1, 10, 1)).isOk());
            QVERIFY(wal->sync().isOk());
            QCOMPARE(wal->durableIndex(), uint64_t(10));
            QVERIFY(wal->append(entries(6, 8, 2)).isOk());
            QCOMPARE(wal->lastIndex(), uint64_t(8));
            QCOMPARE(wal->term(5), std::optional<uint64_t>(1));
            QCOMPARE(wal->term(6), std::optional<uint64_t>(2));
            QCOMPARE(wal->term(9), std::nullopt);
            QVERIFY(wal->durableIndex() <= 5); // 6..8 replaced entries that were durable
            QVERIFY(wal->sync().isOk());
            QCOMPARE(wal->durableIndex(), uint64_t(8));
            if (segmentBytes < 1000)
                QVERIFY(wal->segmentCount() >= 2);
        }
        {
            auto wal = openOrFail(dir, opt);
            QVERIFY(wal);
            check(wal->takeRecovered().entries, 8);
            // Keep going past more rolls: the log stays readable after a truncation behind a roll.
            QVERIFY(wal->append(entries(9, 30, 2)).isOk());
            QVERIFY(wal->sync().isOk());
        }
        auto wal = openOrFail(dir, opt);
        QVERIFY(wal);
        check(wal->takeRecovered().entries, 30);
    }

    void deepTruncationKeepsSegmentNamesAscending()
    {
        // Truncate behind the start of the active segment, then roll again: the next segment's
        // first index is lower than the previous segment's name.
        const std::string dir = freshDir();
        WalOptions opt;
        opt.segmentBytes = 300;
        {
            auto wal = openOrFail(dir, opt);
            QVERIFY(wal);
            QVERIFY(wal->append(entries(1, 20, 1)).isOk());
            QVERIFY(wal->append(entries(3, 12, 2)).isOk());
            QVERIFY(wal->append(entries(13, 14, 2)).isOk());
            QVERIFY(wal->sync().isOk());
        }
        // The situation did arise: some segment's header first index is below its file name.
        bool nameAboveFirstIndex = false;
        for (const auto &p : segmentPaths(dir)) {
            const std::string bytes = readFile(p);
            const DecodedRecord r = decodeRecord(bytes, 0);
            SegmentHeader h;
            QVERIFY(r.outcome == DecodedRecord::Outcome::Ok && decodeSegmentHeader(r.payload, h));
            uint64_t name = 0;
            QVERIFY(SegmentFile::parseFileName(std::filesystem::path(p).filename().string(), name));
            nameAboveFirstIndex |= name > h.firstIndex;
        }
        QVERIFY(nameAboveFirstIndex);
        auto wal = openOrFail(dir, opt);
        QVERIFY(wal);
        const auto es = wal->takeRecovered().entries;
        QVERIFY(indexes(es) == range(1, 14));
        QCOMPARE(es[1].term(), uint64_t(1));
        QCOMPARE(es[2].term(), uint64_t(2));
    }

    void hardStateLatestWins()
    {
        const std::string dir = freshDir();
        WalOptions opt;
        opt.segmentBytes = 300;
        {
            auto wal = openOrFail(dir, opt);
            QVERIFY(wal);
            for (uint64_t i = 1; i <= 20; ++i) {
                const raft::HardState hs = hardState(i, i % 3, i - 1);
                QVERIFY(wal->append({entry(i, i)}, &hs).isOk());
            }
            const raft::HardState only = hardState(21, 1, 20); // a hard state without entries
            QVERIFY(wal->append({}, &only).isOk());
            QVERIFY(wal->sync().isOk());
        }
        auto wal = openOrFail(dir, opt);
        QVERIFY(wal);
        const RecoveredState st = wal->takeRecovered();
        QCOMPARE(st.hardState.term(), uint64_t(21));
        QCOMPARE(st.hardState.commit(), uint64_t(20));
        QCOMPARE(st.entries.size(), size_t(20));
    }

    void snapshotMarkerKeepsOrDiscardsTheLog()
    {
        const std::string dir = freshDir();
        {
            auto wal = openOrFail(dir);
            QVERIFY(wal);
            QVERIFY(wal->append(entries(1, 10, 1)).isOk());
            raft::SnapshotMetadata agree;
            agree.set_index(4);
            agree.set_term(1);
            agree.mutable_conf_state()->add_voters(7);
            QVERIFY(wal->saveSnapshotMarker(agree).isOk());
            QCOMPARE(wal->firstIndex(), uint64_t(5));
            QCOMPARE(wal->lastIndex(), uint64_t(10));
            // A snapshot whose entry conflicts with our log replaces the whole log (Raft restore).
            raft::SnapshotMetadata conflict;
            conflict.set_index(8);
            conflict.set_term(3);
            conflict.mutable_conf_state()->add_voters(9);
            QVERIFY(wal->saveSnapshotMarker(conflict).isOk());
            QCOMPARE(wal->firstIndex(), uint64_t(9));
            QCOMPARE(wal->lastIndex(), uint64_t(8));
            QCOMPARE(wal->append({entry(10, 3)}).code(), StatusCode::InvalidArgument);
            QVERIFY(wal->append({entry(9, 3)}).isOk());
            QVERIFY(wal->sync().isOk());
        }
        auto wal = openOrFail(dir);
        QVERIFY(wal);
        const RecoveredState st = wal->takeRecovered();
        QVERIFY(st.snapshot);
        QCOMPARE(st.snapshot->index(), uint64_t(8));
        QCOMPARE(st.snapshot->conf_state().voters(0), uint64_t(9));
        QVERIFY(indexes(st.entries) == range(9, 9));
        QCOMPARE(st.entries[0].term(), uint64_t(3));
    }

    void compactionDropsOnlyWholeSegmentsBelowTheSnapshot()
    {
        const std::string dir = freshDir();
        WalOptions opt;
        opt.segmentBytes = 400;
        std::vector<std::string> before;
        {
            auto wal = openOrFail(dir, opt);
            QVERIFY(wal);
            const raft::HardState hs = hardState(1, 3, 2); // only ever written in the first segment
            QVERIFY(wal->append(entries(1, 2, 1), &hs).isOk());
            for (uint64_t i = 3; i <= 120; ++i)
                QVERIFY(wal->append({entry(i, 1)}).isOk());
            QCOMPARE(wal->compact(50).code(), StatusCode::FailedPrecondition); // no marker yet
            raft::SnapshotMetadata meta;
            meta.set_index(60);
            meta.set_term(1);
            meta.mutable_conf_state()->add_voters(1);
            QVERIFY(wal->saveSnapshotMarker(meta).isOk());
            before = segmentPaths(dir);
            size_t deleted = 0;
            QVERIFY(wal->compact(60, &deleted).isOk());
            QVERIFY(deleted >= 3);
            QCOMPARE(segmentPaths(dir).size(), before.size() - deleted);
            QVERIFY(wal->sync().isOk());
        }
        // Every deleted segment held only entries <= 60: the next kept segment starts at <= 61.
        // (With no truncations, a segment's name is its first index.)
        const auto after = segmentPaths(dir);
        uint64_t firstKept = 0;
        QVERIFY(SegmentFile::parseFileName(std::filesystem::path(after.front()).filename().string(), firstKept));
        QVERIFY(firstKept <= 61);
        // ... and compaction went as far as allowed: the next segment starts above 61.
        if (after.size() > 1) {
            uint64_t second = 0;
            QVERIFY(SegmentFile::parseFileName(std::filesystem::path(after[1]).filename().string(), second));
            QVERIFY(second > 61);
        }
        auto wal = openOrFail(dir, opt);
        QVERIFY(wal);
        const RecoveredState st = wal->takeRecovered();
        QVERIFY(st.snapshot);
        QCOMPARE(st.snapshot->index(), uint64_t(60));
        QCOMPARE(st.snapshot->conf_state().voters_size(), 1);
        QVERIFY(indexes(st.entries) == range(61, 120));
        QCOMPARE(st.hardState.vote(), uint64_t(3)); // carried over into later segments
        QCOMPARE(wal->firstIndex(), uint64_t(61));
    }

    void compactionWaitsForTruncationsReachingBack()
    {
        // A Truncate in a later segment that reaches into an older one pins that older segment.
        const std::string dir = freshDir();
        WalOptions opt;
        opt.segmentBytes = 300;
        {
            auto wal = openOrFail(dir, opt);
            QVERIFY(wal);
            QVERIFY(wal->append(entries(1, 30, 1)).isOk());
            QVERIFY(wal->append(entries(12, 40, 2)).isOk()); // truncation back to 12, in the last segment
            raft::SnapshotMetadata meta;
            meta.set_index(20);
            meta.set_term(2);
            QVERIFY(wal->saveSnapshotMarker(meta).isOk());
            QVERIFY(wal->compact(20).isOk());
            QVERIFY(wal->sync().isOk());
        }
        auto wal = openOrFail(dir, opt);
        QVERIFY(wal);
        const RecoveredState st = wal->takeRecovered();
        QVERIFY(indexes(st.entries) == range(21, 40));
        QCOMPARE(st.entries.front().term(), uint64_t(2));
    }

    // sync() is the one fdatasync of the active segment, on the caller's thread, and only when
    // something was written since the last one; each is timed into fsyncLatency().
    void syncRunsInlineOnlyWhenSomethingWasWritten()
    {
        auto wal = openOrFail(freshDir());
        QVERIFY(wal);
        const uint64_t atOpen = wal->fdatasyncCount();
        QVERIFY(wal->sync().isOk());
        QCOMPARE(wal->fdatasyncCount(), atOpen); // nothing written since open
        QVERIFY(wal->append(entries(1, 5, 1)).isOk());
        QCOMPARE(wal->durableIndex(), uint64_t(0)); // written, not yet durable
        QVERIFY(wal->sync().isOk());
        QCOMPARE(wal->durableIndex(), uint64_t(5));
        QCOMPARE(wal->fdatasyncCount(), atOpen + 1);
        QVERIFY(wal->sync().isOk());
        QCOMPARE(wal->fdatasyncCount(), atOpen + 1); // still nothing new
        const raft::HardState hs = hardState(1, 1, 5);
        QVERIFY(wal->append({}, &hs).isOk()); // a hard state alone is written, so it is synced
        QVERIFY(wal->sync().isOk());
        QCOMPARE(wal->fdatasyncCount(), atOpen + 2);
        QCOMPARE(wal->fsyncLatency().snapshot().count(), wal->fdatasyncCount());
    }
};

QTEST_GUILESS_MAIN(WalTest)
#include "WalTest.moc"
