// The partition log's side of replication: leader appends stamp their epoch, follower appends
// keep the leader's offsets, truncation (mid-segment, across segments, below the log start)
// leaves what a reopen finds, producer state follows truncation, and the KIP-101 / KIP-279
// scenarios played by hand on two or three logs end with identical logs.

#include "LogTestUtil.h"

#include "log/PartitionLog.h"
#include "log/RecordReader.h"

#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

using namespace skiff::log;
using namespace skiff::log::test;
using Entries = std::vector<LeaderEpochCache::Entry>;

namespace {

std::shared_ptr<PartitionLog> openLog(const std::string &dir, const LogConfig &config = {})
{
    auto log = PartitionLog::open(dir, config);
    if (!log)
        qFatal("%s", log.status().toString().c_str());
    return log.value();
}

std::string everything(const PartitionLog &log)
{
    auto r = log.read(log.logStartOffset(), int64_t(1) << 40);
    if (!r)
        qFatal("%s", r.status().toString().c_str());
    return r->records;
}

std::vector<RecordBatchHeader> headersOf(const std::string &records)
{
    std::vector<RecordBatchHeader> out;
    for (size_t pos = 0; pos + batch::kHeaderSize <= records.size();) {
        out.push_back(RecordBatchHeader::parse(records.data() + pos));
        pos += out.back().totalSize();
    }
    return out;
}

// One record whose value names it, so logs can be compared by content.
std::string message(const std::string &value, int64_t producerId = -1, int32_t sequence = -1)
{
    RecordBatchBuilder b;
    if (producerId >= 0)
        b.setProducer(producerId, 0, sequence);
    b.add("k", value, 1000);
    return b.build();
}

// The values of the log's records, in offset order.
std::vector<std::string> values(const PartitionLog &log)
{
    auto decoded = decodeRecords(everything(log));
    if (!decoded)
        qFatal("%s", decoded.status().toString().c_str());
    std::vector<std::string> out;
    for (const auto &r : decoded->records)
        out.push_back(r.value.value_or("<null>"));
    return out;
}

void leaderAppends(PartitionLog &log, int32_t epoch, const std::string &value)
{
    auto r = log.appendAsLeader(message(value), epoch, 5000);
    QVERIFY2(r.isOk(), r.message.c_str());
}

// A follower replicating from a leader as Kafka's fetcher does (Fetch v12+): while the leader
// reports a divergence for (fetch offset, last fetched epoch), truncate to
// min(leader's end offset, own end offset for the leader's epoch); then copy what is missing.
// Never falls back to the high watermark: an undefined answer fails the test.
void catchUp(PartitionLog &follower, const PartitionLog &leader)
{
    for (int round = 0; round < 10; ++round) {
        auto lastEpoch = follower.latestEpoch();
        if (!lastEpoch)
            break;
        auto [epoch, end] = leader.endOffsetForEpoch(*lastEpoch);
        QVERIFY2(epoch >= 0 && end >= 0, "the leader answered UNDEFINED: a high-watermark truncation would follow");
        if (epoch == *lastEpoch && end >= follower.logEndOffset())
            break; // no divergence
        auto [ownEpoch, ownEnd] = follower.endOffsetForEpoch(epoch);
        (void)ownEpoch;
        QVERIFY(follower.truncateTo(std::min(end, ownEnd)).isOk());
    }
    while (follower.logEndOffset() < leader.logEndOffset()) {
        auto fetched = leader.read(follower.logEndOffset(), 1 << 20);
        QVERIFY2(fetched.isOk(), fetched.status().toString().c_str());
        auto r = follower.appendAsFollower(fetched->records, 5000);
        QVERIFY2(r.isOk(), r.message.c_str());
    }
}

void expectIdentical(const PartitionLog &a, const PartitionLog &b)
{
    QCOMPARE(a.logEndOffset(), b.logEndOffset());
    QVERIFY(everything(a) == everything(b));
    // Equal up to the end of the data: a leader may hold an epoch it has not written in yet.
    auto upToEnd = [](const PartitionLog &log) {
        Entries out;
        for (const auto &e : log.epochCache().entries())
            if (e.startOffset < log.logEndOffset())
                out.push_back(e);
        return out;
    };
    QCOMPARE(upToEnd(a), upToEnd(b));
}

} // namespace

class PartitionLogReplicationTest : public QObject {
    Q_OBJECT
private slots:
    void leaderAppendStampsTheEpoch()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        auto log = openLog(dir);
        QVERIFY(log->assignLeaderEpoch(3).isOk());
        QCOMPARE(log->epochCache().entries(), (Entries{{3, 0}}));
        // In memory only: the file is not the truth after a crash (LeaderEpochCache.h), and a
        // failover assigns thousands of epochs at once on the kafka thread.
        QVERIFY(LeaderEpochCache::load(dir)->entries().empty());
        leaderAppends(*log, 3, "a");
        leaderAppends(*log, 3, "b");
        QVERIFY(log->assignLeaderEpoch(5).isOk());
        QVERIFY(log->assignLeaderEpoch(5).isOk()); // again: nothing changes
        leaderAppends(*log, 5, "c");
        auto r = log->append(message("d"), 5000); // the single-replica path: the latest epoch
        QVERIFY(r.isOk());
        auto stored = everything(*log);
        auto v = validateBatches(stored, 1 << 20);
        QVERIFY2(v.isOk(), v.message.c_str()); // the epoch is outside the CRC
        std::vector<int32_t> epochs;
        for (const auto &b : v.batches)
            epochs.push_back(b.header.partitionLeaderEpoch);
        QCOMPARE(epochs, (std::vector<int32_t>{3, 3, 5, 5}));
        QCOMPARE(log->epochCache().entries(), (Entries{{3, 0}, {5, 2}}));
        QCOMPARE(log->endOffsetForEpoch(3), std::make_pair(int32_t(3), int64_t(2)));
        QCOMPARE(log->endOffsetForEpoch(5), std::make_pair(int32_t(5), int64_t(4)));

        // A stale leader writes nothing.
        auto stale = log->appendAsLeader(message("x"), 4, 5000);
        QCOMPARE(stale.error, LogErrc::NotLeaderOrFollower);
        QVERIFY2(stale.message.find("epoch 4") != std::string::npos, stale.message.c_str());
        QCOMPARE(log->appendAsLeader(message("x"), -1, 5000).error, LogErrc::NotLeaderOrFollower);
        QCOMPARE(log->logEndOffset(), int64_t(4));
        QCOMPARE(log->assignLeaderEpoch(4).code(), skiff::StatusCode::FailedPrecondition);

        // A log without epochs writes in epoch 0, the epoch the metadata gives a new partition.
        QTemporaryDir fresh;
        auto plain = openLog(fresh.path().toStdString());
        QVERIFY(plain->append(message("p"), 5000).isOk());
        QCOMPARE(headersOf(everything(*plain))[0].partitionLeaderEpoch, 0);
        QCOMPARE(plain->epochCache().entries(), (Entries{{0, 0}}));
    }

    void followerAppendKeepsOffsetsAndEpochs()
    {
        QTemporaryDir ld, fd;
        auto leader = openLog(ld.path().toStdString());
        LogConfig small;
        small.maxMessageBytes = 100; // not applied to replicated batches: the leader accepted them
        auto follower = openLog(fd.path().toStdString(), small);
        QVERIFY(leader->assignLeaderEpoch(1).isOk());
        const std::string five = makeBatch(5, 1000, 300);
        const auto appended = leader->appendAsLeader(five, 1, 5000);
        QVERIFY(appended.isOk());
        QCOMPARE(appended.records, uint64_t(5));
        QCOMPARE(appended.bytes, uint64_t(five.size()));
        QVERIFY(leader->assignLeaderEpoch(2).isOk());
        QVERIFY(leader->appendAsLeader(makeBatch(2, 1000), 2, 5000).isOk());
        QVERIFY(leader->appendAsLeader(makeBatch(3, 1000), 2, 5000).isOk());

        auto r = follower->appendAsFollower(everything(*leader));
        QVERIFY2(r.isOk(), r.message.c_str());
        QCOMPARE(r.baseOffset, int64_t(0));
        QCOMPARE(r.lastOffset, int64_t(9));
        QCOMPARE(r.records, uint64_t(10));   // for the traffic counters: the batch headers' counts
        QCOMPARE(r.bytes, uint64_t(everything(*leader).size()));
        expectIdentical(*leader, *follower);
        QCOMPARE(follower->epochCache().entries(), (Entries{{1, 0}, {2, 5}}));

        // Not at the log end, or not contiguous: refused, naming both offsets.
        std::string ahead = makeBatch(1, 1000);
        setBaseOffset(ahead.data(), 12);
        auto gap = follower->appendAsFollower(ahead);
        QCOMPARE(gap.error, LogErrc::OffsetOutOfRange);
        QVERIFY2(gap.message.find("12") != std::string::npos && gap.message.find("10") != std::string::npos,
                 gap.message.c_str());
        std::string first = makeBatch(2, 1000), second = makeBatch(1, 1000);
        setBaseOffset(first.data(), 10);
        setBaseOffset(second.data(), 13);
        auto holey = follower->appendAsFollower(first + second);
        QCOMPARE(holey.error, LogErrc::OffsetOutOfRange);
        QVERIFY2(holey.message.find("13") != std::string::npos && holey.message.find("12") != std::string::npos,
                 holey.message.c_str());
        std::string corrupt = first;
        corrupt[corrupt.size() - 2] ^= 1;
        QCOMPARE(follower->appendAsFollower(corrupt).error, LogErrc::CorruptMessage);
        QCOMPARE(follower->logEndOffset(), int64_t(10));
        expectIdentical(*leader, *follower);
    }

    void followerProducerStateDeduplicatesAfterPromotion()
    {
        QTemporaryDir ld, fd;
        auto leader = openLog(ld.path().toStdString());
        auto follower = openLog(fd.path().toStdString());
        QVERIFY(leader->assignLeaderEpoch(1).isOk());
        for (int seq = 0; seq < 4; ++seq)
            QVERIFY(leader->appendAsLeader(message("m" + std::to_string(seq), 77, seq), 1, 5000).isOk());
        catchUp(*follower, *leader);
        // The leader dies before answering the last produce; the producer retries on the follower.
        QVERIFY(follower->assignLeaderEpoch(2).isOk());
        auto retry = follower->appendAsLeader(message("m3", 77, 3), 2, 6000);
        QVERIFY(retry.isOk());
        QVERIFY(retry.duplicate);
        QCOMPARE(retry.baseOffset, int64_t(3));
        auto next = follower->appendAsLeader(message("m4", 77, 4), 2, 6000);
        QVERIFY(next.isOk() && !next.duplicate);
        QCOMPARE(next.baseOffset, int64_t(4));
        QCOMPARE(follower->appendAsLeader(message("m9", 77, 9), 2, 6000).error, LogErrc::OutOfOrderSequenceNumber);
    }

    void truncateMidSegmentAndAcrossSegmentsThenAppend()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LogConfig cfg;
        cfg.segmentBytes = 2000;
        cfg.indexIntervalBytes = 300;
        auto log = openLog(dir, cfg);
        QVERIFY(log->assignLeaderEpoch(1).isOk());
        std::vector<std::string> stored; // batch i holds offsets 2i, 2i+1
        for (int i = 0; i < 40; ++i) {
            if (i == 25)
                QVERIFY(log->assignLeaderEpoch(2).isOk());
            auto r = log->appendAsLeader(makeBatch(2, 1000 + 10 * i, 100), i < 25 ? 1 : 2, 5000);
            QVERIFY(r.isOk());
            QCOMPARE(r.baseOffset, int64_t(2 * i));
        }
        QVERIFY(log->sync().isOk());
        log->setHighWatermark(log->logEndOffset());
        {
            std::string all = everything(*log);
            size_t pos = 0;
            for (const auto &h : headersOf(all)) {
                stored.push_back(all.substr(pos, h.totalSize()));
                pos += h.totalSize();
            }
        }
        QVERIFY(log->segmentCount() > 5);
        auto bases = log->segmentBaseOffsets();

        auto expectPrefix = [&](int64_t end) {
            QCOMPARE(log->logEndOffset(), end);
            std::string expected;
            for (int64_t i = 0; i < end / 2; ++i)
                expected += stored[size_t(i)];
            QVERIFY(everything(*log) == expected);
            QVERIFY(log->highWatermark() <= end);
            QVERIFY(log->durableEndOffset() <= end);
            // Every offset is found through the index, in whichever segment holds it.
            for (int64_t o = 0; o < end; ++o) {
                auto r = log->read(o, 1);
                QVERIFY(r.isOk());
                QCOMPARE(headersOf(r->records).at(0).baseOffset, o - o % 2);
            }
            auto beyond = log->read(end + 1, 100);
            QVERIFY(!beyond.isOk());
        };

        // Inside the active segment's range... then into an older segment, deleting those above.
        const int64_t midLast = bases.back() + 2;
        QVERIFY(log->truncateTo(midLast).isOk());
        expectPrefix(midLast);
        QCOMPARE(log->segmentBaseOffsets(), bases);
        QVERIFY(log->truncateTo(bases[2] + 4).isOk());
        expectPrefix(bases[2] + 4);
        QCOMPARE(log->segmentCount(), size_t(3));
        QCOMPARE(log->epochCache().entries(), (Entries{{1, 0}})); // epoch 2 started above the cut
        // Mid-batch: the whole batch goes.
        QVERIFY(log->truncateTo(bases[2] + 3).isOk());
        expectPrefix(bases[2] + 2);
        // Exactly at a segment's base: that segment is emptied, the earlier ones stay.
        QVERIFY(log->truncateTo(bases[2]).isOk());
        expectPrefix(bases[2]);
        QCOMPARE(log->segmentBaseOffsets().back(), bases[2]);
        QCOMPARE(log->offsetForTimestamp(1000 + 10 * (bases[2] / 2))->offset, int64_t(-1)); // its timestamps are gone
        QCOMPARE(log->offsetForTimestamp(1000 + 10 * (bases[2] / 2 - 1))->offset, bases[2] - 2);

        // Appends continue at the new end, with the epoch of the new leader.
        QVERIFY(log->assignLeaderEpoch(3).isOk());
        QCOMPARE(log->epochCache().entries(), (Entries{{1, 0}, {3, bases[2]}}));
        for (int i = 0; i < 6; ++i) {
            auto r = log->appendAsLeader(makeBatch(2, 5000 + i, 100), 3, 6000);
            QVERIFY(r.isOk());
            QCOMPARE(r.baseOffset, bases[2] + 2 * i);
        }
        QVERIFY(log->sync().isOk());
        QCOMPARE(log->durableEndOffset(), log->logEndOffset());
        QCOMPARE(log->offsetForTimestamp(5003)->offset, bases[2] + 5); // batch 2, second record

        // A reopen recovers exactly this state: files (indexes included), epochs, offsets.
        const std::string records = everything(*log);
        const Entries epochs = log->epochCache().entries();
        const auto segments = log->segmentBaseOffsets();
        std::map<std::string, std::string> files;
        for (const auto &f : std::filesystem::directory_iterator(dir))
            // The epoch checkpoint is rebuilt from the batch headers at open (compared above).
            if (f.path().extension() != ".tmp" && f.path().filename() != "recovery-point"
                && f.path().filename() != "leader-epoch-checkpoint")
                files[f.path().filename().string()] = readFile(f.path().string());
        const int64_t end = log->logEndOffset();
        log.reset(); // a crash, not a close: the recovery walk runs
        auto reopened = openLog(dir, cfg);
        QCOMPARE(reopened->logEndOffset(), end);
        QVERIFY(everything(*reopened) == records);
        QCOMPARE(reopened->epochCache().entries(), epochs);
        QCOMPARE(reopened->segmentBaseOffsets(), segments);
        for (const auto &[name, bytes] : files)
            QVERIFY2(readFile(dir + "/" + name) == bytes, name.c_str());
    }

    void truncationCrashLeavesAnOpenableLog()
    {
        // Truncation is durable when it returns: a reopen without close() finds the cut log.
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LogConfig cfg;
        cfg.segmentBytes = 1000;
        auto log = openLog(dir, cfg);
        for (int i = 0; i < 30; ++i)
            QVERIFY(log->append(makeBatch(1, 1000, 100), 5000).isOk());
        QVERIFY(log->sync().isOk());
        QVERIFY(log->close().isOk());
        log = openLog(dir, cfg); // the recovery point is now the log end
        QVERIFY(log->truncateTo(7).isOk());
        const std::string kept = everything(*log);
        QVERIFY(log->append(makeBatch(1, 2000, 50), 5000).isOk()); // written, never synced
        log.reset();
        auto reopened = openLog(dir, cfg);
        QCOMPARE(reopened->logEndOffset(), int64_t(8));
        QVERIFY(everything(*reopened).starts_with(kept));
        // The recovery point was lowered to the cut, so the unsynced batch was CRC-checked.
        QVERIFY(std::stoll(readFile(dir + "/recovery-point")) <= 8);
    }

    void truncateBelowLogStartAndFully()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LogConfig cfg;
        cfg.segmentBytes = 1000;
        cfg.retentionBytes = 1;
        auto log = openLog(dir, cfg);
        QVERIFY(log->assignLeaderEpoch(4).isOk());
        for (int i = 0; i < 20; ++i)
            QVERIFY(log->appendAsLeader(makeBatch(1, 1000, 100), 4, 5000).isOk());
        QVERIFY(log->applyRetention(5000).value() > 0);
        const int64_t start = log->logStartOffset();
        QVERIFY(start > 0);
        QCOMPARE(log->epochCache().entries(), (Entries{{4, start}})); // retention moved the entry up

        QVERIFY(log->truncateTo(start - 1).isOk()); // below the log start: emptied, restarted there
        QCOMPARE(log->logStartOffset(), start - 1);
        QCOMPARE(log->logEndOffset(), start - 1);
        QVERIFY(log->epochCache().entries().empty());
        QVERIFY(log->truncateFullyAndStartAt(100).isOk());
        QCOMPARE(log->segmentBaseOffsets(), std::vector<int64_t>{100});
        QCOMPARE(log->logEndOffset(), int64_t(100));
        QCOMPARE(log->highWatermark(), int64_t(100));
        QCOMPARE(log->durableEndOffset(), int64_t(100));
        QCOMPARE(log->producerState().size(), size_t(0));
        std::string at100 = makeBatch(2, 1000);
        setBaseOffset(at100.data(), 100);
        setPartitionLeaderEpoch(at100.data(), 6);
        QVERIFY(log->appendAsFollower(at100, 5000).isOk());
        QCOMPARE(log->epochCache().entries(), (Entries{{6, 100}}));
        log.reset();
        auto reopened = openLog(dir, cfg);
        QCOMPARE(reopened->logStartOffset(), int64_t(100));
        QCOMPARE(reopened->logEndOffset(), int64_t(102));
        QCOMPARE(reopened->epochCache().entries(), (Entries{{6, 100}}));
    }

    void producerStateFollowsTruncation()
    {
        QTemporaryDir tmp;
        auto log = openLog(tmp.path().toStdString());
        QVERIFY(log->assignLeaderEpoch(1).isOk());
        for (int seq = 0; seq < 6; ++seq)
            QVERIFY(log->appendAsLeader(message("m" + std::to_string(seq), 9, seq), 1, 5000).isOk());
        // Another producer whose only batch is cut: it is forgotten.
        QVERIFY(log->appendAsLeader(message("other", 10, 0), 1, 5000).isOk());
        QCOMPARE(log->producerState().size(), size_t(2));
        QVERIFY(log->truncateTo(4).isOk()); // m4, m5 and "other" go
        QCOMPARE(log->producerState().size(), size_t(1));
        // A retry of a batch below the cut is a duplicate with its original offset...
        auto below = log->appendAsLeader(message("m2", 9, 2), 1, 5000);
        QVERIFY(below.isOk() && below.duplicate);
        QCOMPARE(below.baseOffset, int64_t(2));
        // ...one above it is appended again (not answered as a duplicate of data that is gone).
        auto above = log->appendAsLeader(message("m4", 9, 4), 1, 5000);
        QVERIFY(above.isOk());
        QVERIFY(!above.duplicate);
        QCOMPARE(above.baseOffset, int64_t(4));
        auto other = log->appendAsLeader(message("other", 10, 0), 1, 5000);
        QVERIFY(other.isOk() && !other.duplicate);
        QCOMPARE(other.baseOffset, int64_t(5));
    }

    void kip101HighWatermarkTruncationWouldLoseCommittedData()
    {
        // KIP-101 scenario 1: B holds m2 but its high watermark has not moved past it; B
        // restarts, then A dies and B leads. Nobody truncates to a high watermark, so m2 stays.
        QTemporaryDir ad, bd;
        auto a = openLog(ad.path().toStdString());
        auto b = openLog(bd.path().toStdString());
        QVERIFY(a->assignLeaderEpoch(0).isOk());
        leaderAppends(*a, 0, "m1");
        leaderAppends(*a, 0, "m2");
        catchUp(*b, *a);
        b->setHighWatermark(1); // one fetch round behind the leader
        b.reset();
        b = openLog(bd.path().toStdString()); // restart (as after a crash)
        QCOMPARE(b->logEndOffset(), int64_t(2));
        a.reset(); // A dies
        QVERIFY(b->assignLeaderEpoch(1).isOk());
        a = openLog(ad.path().toStdString()); // A returns as a follower of B
        catchUp(*a, *b);
        leaderAppends(*b, 1, "m3");
        catchUp(*a, *b);
        expectIdentical(*a, *b);
        QCOMPARE(values(*a), (std::vector<std::string>{"m1", "m2", "m3"}));
    }

    void kip101DivergentLogsAfterPowerLoss()
    {
        // KIP-101 scenario 2: A has m1 m2, B only m1; both lose power. B comes back first, leads
        // and writes m3 at offset 1, where A holds m2. A must truncate m2 by epoch comparison.
        QTemporaryDir ad, bd;
        auto a = openLog(ad.path().toStdString());
        auto b = openLog(bd.path().toStdString());
        QVERIFY(a->assignLeaderEpoch(0).isOk());
        leaderAppends(*a, 0, "m1");
        catchUp(*b, *a);
        leaderAppends(*a, 0, "m2");
        a.reset();
        b.reset();
        b = openLog(bd.path().toStdString());
        QVERIFY(b->assignLeaderEpoch(1).isOk());
        leaderAppends(*b, 1, "m3");
        a = openLog(ad.path().toStdString());
        QCOMPARE(a->logEndOffset(), int64_t(2));
        catchUp(*a, *b);
        expectIdentical(*a, *b);
        QCOMPARE(values(*a), (std::vector<std::string>{"m1", "m3"}));
        QCOMPARE(a->epochCache().entries(), (Entries{{0, 0}, {1, 1}}));
    }

    void kip279FastSuccessiveElections()
    {
        // Leaders change before they write: B leads epoch 1 and writes m2 that nobody copies; A
        // leads epoch 2 and dies before writing; C leads epoch 3. A's epoch-2 entry (assigned at
        // its log end, never written in) and B's m2 must both go, and C must answer epoch
        // queries before its first write in epoch 3 (it recorded the epoch when it became leader).
        QTemporaryDir ad, bd, cd;
        auto a = openLog(ad.path().toStdString());
        auto b = openLog(bd.path().toStdString());
        auto c = openLog(cd.path().toStdString());
        QVERIFY(a->assignLeaderEpoch(0).isOk());
        leaderAppends(*a, 0, "m1");
        catchUp(*b, *a);
        catchUp(*c, *a);
        QVERIFY(b->assignLeaderEpoch(1).isOk());
        leaderAppends(*b, 1, "m2");
        QVERIFY(a->assignLeaderEpoch(2).isOk());
        a->setHighWatermark(0);
        QVERIFY(c->assignLeaderEpoch(3).isOk());
        QVERIFY(c->close().isOk()); // the entry C recorded survives a clean restart (a crash
        c.reset();                  // would make it leader in a new epoch: fenced, registered again)
        c = openLog(cd.path().toStdString());
        QCOMPARE(c->epochCache().entries(), (Entries{{0, 0}, {3, 1}}));

        catchUp(*a, *c); // before C wrote anything in epoch 3
        catchUp(*b, *c);
        QCOMPARE(a->epochCache().entries(), (Entries{{0, 0}}));
        QCOMPARE(b->logEndOffset(), int64_t(1));
        leaderAppends(*c, 3, "m3");
        catchUp(*a, *c);
        catchUp(*b, *c);
        expectIdentical(*a, *c);
        expectIdentical(*b, *c);
        QCOMPARE(values(*b), (std::vector<std::string>{"m1", "m3"}));
        QCOMPARE(b->epochCache().entries(), (Entries{{0, 0}, {3, 1}}));
    }

    void truncationWaitsForAnInFlightSync()
    {
        // A committer thread syncs while the I/O thread appends and truncates: the durable end
        // never passes the log end, and what is left is what a reopen finds.
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LogConfig cfg;
        cfg.segmentBytes = 4000;
        auto log = openLog(dir, cfg);
        std::atomic<bool> stop{false};
        std::atomic<int> syncs{0};
        std::thread committer([&] {
            while (!stop.load()) {
                if (!log->sync().isOk())
                    return;
                syncs.fetch_add(1);
            }
        });
        for (int round = 0; round < 40; ++round) {
            for (int i = 0; i < 10; ++i)
                QVERIFY(log->append(makeBatch(1, 1000, 200), 5000).isOk());
            QVERIFY(log->truncateTo(log->logEndOffset() - 7).isOk());
            QVERIFY(log->durableEndOffset() <= log->logEndOffset());
        }
        stop.store(true);
        committer.join();
        QVERIFY(syncs.load() > 0);
        QVERIFY(log->sync().isOk());
        QCOMPARE(log->durableEndOffset(), log->logEndOffset());
        QCOMPARE(log->logEndOffset(), int64_t(40 * 3));
        const std::string records = everything(*log);
        log.reset();
        auto reopened = openLog(dir, cfg);
        QVERIFY(everything(*reopened) == records);
    }
};

QTEST_GUILESS_MAIN(PartitionLogReplicationTest)
#include "PartitionLogReplicationTest.moc"
