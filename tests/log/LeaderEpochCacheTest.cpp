// LeaderEpochCache: Kafka's assign rules, every branch of endOffsetFor, truncation from either
// end, and the checkpoint file (written on every change, read back, refused when damaged).

#include "LogTestUtil.h"

#include "log/LeaderEpochCache.h"

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>

using namespace skiff::log;
using namespace skiff::log::test;
using Entry = LeaderEpochCache::Entry;
using Entries = std::vector<Entry>;

namespace {

std::pair<int32_t, int64_t> at(int32_t epoch, int64_t offset) { return {epoch, offset}; }

// The entries the checkpoint file holds now.
Entries onDisk(const std::string &dir)
{
    auto loaded = LeaderEpochCache::load(dir);
    if (!loaded)
        qFatal("%s", loaded.status().toString().c_str());
    return loaded->entries();
}

} // namespace

class LeaderEpochCacheTest : public QObject {
    Q_OBJECT
private slots:
    void assignKeepsFirstStartOffsetOfAnEpoch()
    {
        QTemporaryDir tmp;
        LeaderEpochCache cache(tmp.path().toStdString());
        QVERIFY(!cache.latestEpoch());
        QVERIFY(cache.assign(1, 0).isOk());
        QVERIFY(cache.assign(1, 5).isOk()); // same epoch later: ignored
        QVERIFY(cache.assign(2, 10).isOk());
        QVERIFY(cache.assign(2, 12).isOk());
        QCOMPARE(cache.entries(), (Entries{{1, 0}, {2, 10}}));
        QCOMPARE(cache.latestEpoch(), std::optional<int32_t>(2));
        QCOMPARE(cache.startOffsetOf(2), int64_t(10));
        QCOMPARE(cache.startOffsetOf(7), int64_t(-1));
        QCOMPARE(onDisk(tmp.path().toStdString()), cache.entries());
    }

    void assignRemovesEntriesThatWouldBreakMonotonicity()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LeaderEpochCache cache(dir);
        QVERIFY(cache.assign(1, 0).isOk());
        QVERIFY(cache.assign(2, 10).isOk());
        // The latest epoch again with a smaller start offset replaces it (Kafka's isUpdateNeeded).
        QVERIFY(cache.assign(2, 3).isOk());
        QCOMPARE(cache.entries(), (Entries{{1, 0}, {2, 3}}));
        // KIP-279: an epoch that never got a record gives way to the next one at the same offset.
        QVERIFY(cache.assign(4, 20).isOk());
        QVERIFY(cache.assign(6, 20).isOk());
        QCOMPARE(cache.entries(), (Entries{{1, 0}, {2, 3}, {6, 20}}));
        // A lower epoch (only a stale tail produces one) drops the later entries, as in Kafka.
        QVERIFY(cache.assign(3, 25).isOk());
        QCOMPARE(cache.entries(), (Entries{{1, 0}, {2, 3}, {3, 25}}));
        // A higher epoch at a lower offset drops the entries starting at or after it.
        QVERIFY(cache.assign(5, 3).isOk());
        QCOMPARE(cache.entries(), (Entries{{1, 0}, {5, 3}}));
        QCOMPARE(onDisk(dir), cache.entries());
    }

    void assignRefusesNegativeValues()
    {
        QTemporaryDir tmp;
        LeaderEpochCache cache(tmp.path().toStdString());
        QVERIFY(cache.assign(1, 0).isOk());
        skiff::Status bad = cache.assign(-1, 4);
        QCOMPARE(bad.code(), skiff::StatusCode::InvalidArgument);
        QVERIFY(cache.assign(2, -1).code() == skiff::StatusCode::InvalidArgument);
        QVERIFY(!cache.assignInMemory(-1, 9)); // batch headers without an epoch are skipped
        QCOMPARE(cache.entries(), (Entries{{1, 0}}));
    }

    void endOffsetForEveryBranch()
    {
        QTemporaryDir tmp;
        LeaderEpochCache cache(tmp.path().toStdString());
        // Empty: undefined whatever is asked.
        QCOMPARE(cache.endOffsetFor(0, 50), at(-1, -1));
        QCOMPARE(cache.endOffsetFor(-1, 50), at(-1, -1));
        QVERIFY(cache.assign(1, 5).isOk());
        QVERIFY(cache.assign(3, 10).isOk());
        QVERIFY(cache.assign(5, 20).isOk());
        const int64_t leo = 30;
        QCOMPARE(cache.endOffsetFor(-1, leo), at(-1, -1)); // UNDEFINED_EPOCH asked
        QCOMPARE(cache.endOffsetFor(5, leo), at(5, 30));   // the latest epoch ends at the log end
        QCOMPARE(cache.endOffsetFor(3, leo), at(3, 20));   // a known epoch ends where the next starts
        QCOMPARE(cache.endOffsetFor(4, leo), at(3, 20));   // an unknown one: the largest epoch below it
        QCOMPARE(cache.endOffsetFor(2, leo), at(1, 10));
        QCOMPARE(cache.endOffsetFor(1, leo), at(1, 10));
        QCOMPARE(cache.endOffsetFor(0, leo), at(0, 5));    // below every epoch: the first start offset
        QCOMPARE(cache.endOffsetFor(6, leo), at(-1, -1));  // above every epoch
    }

    void epochForOffsetIsTheLastEntryStartingAtOrBelowIt()
    {
        QTemporaryDir dir;
        LeaderEpochCache cache(dir.path().toStdString());
        QVERIFY(!cache.epochForOffset(0));   // empty
        cache.assignInMemory(2, 10);
        cache.assignInMemory(5, 40);
        QVERIFY(!cache.epochForOffset(9));   // below the first entry
        QCOMPARE(cache.epochForOffset(10), std::optional<int32_t>(2));
        QCOMPARE(cache.epochForOffset(39), std::optional<int32_t>(2));
        QCOMPARE(cache.epochForOffset(40), std::optional<int32_t>(5));
        QCOMPARE(cache.epochForOffset(1000), std::optional<int32_t>(5));
    }

    void truncateFromEndDropsEntriesAtOrAboveTheOffset()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LeaderEpochCache cache(dir);
        QVERIFY(cache.assign(1, 0).isOk());
        QVERIFY(cache.assign(3, 10).isOk());
        QVERIFY(cache.assign(5, 20).isOk());
        QVERIFY(cache.truncateFromEnd(100).isOk());
        QCOMPARE(cache.entries().size(), size_t(3));
        QVERIFY(cache.truncateFromEnd(21).isOk());
        QCOMPARE(cache.entries().size(), size_t(3)); // epoch 5 starts below 21: it stays
        QVERIFY(cache.truncateFromEnd(20).isOk());
        QCOMPARE(cache.entries(), (Entries{{1, 0}, {3, 10}}));
        QCOMPARE(onDisk(dir), cache.entries());
        QVERIFY(cache.truncateFromEnd(0).isOk());
        QVERIFY(cache.entries().empty());
        QCOMPARE(onDisk(dir), Entries{});
    }

    void truncateFromStartMovesTheCoveringEntryUp()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LeaderEpochCache cache(dir);
        QVERIFY(cache.assign(1, 0).isOk());
        QVERIFY(cache.assign(3, 10).isOk());
        QVERIFY(cache.assign(5, 20).isOk());
        QVERIFY(cache.truncateFromStart(12).isOk());
        QCOMPARE(cache.entries(), (Entries{{3, 12}, {5, 20}}));
        QVERIFY(cache.truncateFromStart(5).isOk()); // below the first entry: nothing to do
        QCOMPARE(cache.entries(), (Entries{{3, 12}, {5, 20}}));
        QVERIFY(cache.truncateFromStart(20).isOk()); // exactly at an entry: that entry stays
        QCOMPARE(cache.entries(), (Entries{{5, 20}}));
        QVERIFY(cache.truncateFromStart(26).isOk());
        QCOMPARE(cache.entries(), (Entries{{5, 26}}));
        QCOMPARE(onDisk(dir), cache.entries());
        QCOMPARE(cache.endOffsetFor(4, 30), at(4, 26));
    }

    void checkpointFileFormatAndRoundTrip()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const std::string path = dir + "/leader-epoch-checkpoint";
        {
            auto missing = LeaderEpochCache::load(dir);
            QVERIFY(missing.isOk());
            QVERIFY(missing->entries().empty());
        }
        LeaderEpochCache cache(dir);
        QVERIFY(cache.assignInMemory(0, 0));
        QVERIFY(!std::filesystem::exists(path)); // in memory only until persisted
        QVERIFY(cache.assign(2, 150).isOk());
        QCOMPARE(readFile(path), std::string("0\n2\n0 0\n2 150\n")); // Kafka's format, version 0
        QVERIFY(!std::filesystem::exists(path + ".tmp"));
        QCOMPARE(onDisk(dir), (Entries{{0, 0}, {2, 150}}));
        QVERIFY(cache.clear().isOk());
        QCOMPARE(readFile(path), std::string("0\n0\n"));
        QCOMPARE(onDisk(dir), Entries{});
    }

    void corruptCheckpointIsAnErrorNamingTheFile()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const std::string path = dir + "/leader-epoch-checkpoint";
        const std::pair<const char *, const char *> cases[] = {
            {"1\n0\n", "version"},
            {"0\n", "count"},
            {"0\n2\n0 0\n", "says 2 entries"},
            {"0\n1\n0 0 7\n", "epoch startOffset"},
            {"0\n1\nx 0\n", "epoch startOffset"},
            {"0\n1\n-1 0\n", "epoch startOffset"},
            {"0\n2\n3 10\n2 20\n", "does not follow"},
            {"0\n2\n2 10\n3 10\n", "does not follow"},
            {"0\n1\n0 0", "torn"},
        };
        for (const auto &[content, what] : cases) {
            writeFile(path, content);
            auto loaded = LeaderEpochCache::load(dir);
            QVERIFY2(!loaded.isOk(), content);
            QCOMPARE(loaded.status().code(), skiff::StatusCode::Corruption);
            const std::string message = loaded.status().message();
            QVERIFY2(message.find(path) != std::string::npos, message.c_str());
            QVERIFY2(message.find(what) != std::string::npos, message.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(LeaderEpochCacheTest)
#include "LeaderEpochCacheTest.moc"
