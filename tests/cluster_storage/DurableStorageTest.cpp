#include "cluster/storage/DurableStorage.h"
#include "raft/RawNode.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace skiff;
using namespace skiff::cluster;

namespace {

raft::Entry entry(uint64_t index, uint64_t term, size_t dataBytes = 16)
{
    raft::Entry e;
    e.set_index(index);
    e.set_term(term);
    e.set_type(raft::ENTRY_NORMAL);
    e.set_data(std::to_string(index) + "@" + std::to_string(term) + ":" + std::string(dataBytes, char('a' + index % 26)));
    return e;
}

std::vector<raft::Entry> entries(uint64_t from, uint64_t to, uint64_t term, size_t dataBytes = 16)
{
    std::vector<raft::Entry> out;
    for (uint64_t i = from; i <= to; ++i)
        out.push_back(entry(i, term, dataBytes));
    return out;
}

raft::HardState hardState(uint64_t term, uint64_t vote, uint64_t commit)
{
    raft::HardState hs;
    hs.set_term(term);
    hs.set_vote(vote);
    hs.set_commit(commit);
    return hs;
}

raft::ConfState confState(std::vector<uint64_t> voters, std::vector<uint64_t> learners = {})
{
    raft::ConfState cs;
    for (uint64_t v : voters)
        cs.add_voters(v);
    for (uint64_t l : learners)
        cs.add_learners(l);
    return cs;
}

bool same(const google::protobuf::MessageLite &a, const google::protobuf::MessageLite &b)
{
    return a.SerializeAsString() == b.SerializeAsString();
}

std::unique_ptr<DurableStorage> openOrFail(const std::string &dir, const raft::ConfState &bootstrap = confState({1}),
                                           DurableStorageOptions options = {})
{
    auto r = DurableStorage::open(dir, bootstrap, std::move(options));
    if (!r) {
        qWarning("DurableStorage::open(%s) failed: %s", dir.c_str(), r.status().toString().c_str());
        return nullptr;
    }
    return std::move(*r);
}

size_t segmentCount(const std::string &walDir)
{
    size_t n = 0;
    for (const auto &e : std::filesystem::directory_iterator(walDir))
        n += e.path().extension() == ".wal";
    return n;
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string &path, const std::string &bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

// Checks that storage holds exactly `want` (a contiguous run) and nothing after it.
void expectEntries(const DurableStorage &s, const std::vector<raft::Entry> &want)
{
    QVERIFY(!want.empty());
    const uint64_t lo = want.front().index(), hi = want.back().index() + 1;
    QCOMPARE(*s.lastIndex(), hi - 1);
    auto got = s.entries(lo, hi, UINT64_MAX);
    QVERIFY2(got, got.status().toString().c_str());
    QCOMPARE(got->size(), want.size());
    for (size_t i = 0; i < want.size(); ++i)
        QVERIFY2(same((*got)[i], want[i]), ("entry " + std::to_string(want[i].index())).c_str());
    QCOMPARE(s.entries(lo, hi + 1, UINT64_MAX).status().code(), StatusCode::NotFound);
}

// Handles every Ready as the README prescribes; returns the committed entries it delivered.
std::vector<raft::Entry> drain(raft::RawNode &node, DurableStorage &storage)
{
    std::vector<raft::Entry> committed;
    while (node.hasReady()) {
        raft::Ready rd = node.ready();
        if (rd.snapshot) {
            Status st = storage.applySnapshot(*rd.snapshot);
            if (!st.isOk())
                qFatal("applySnapshot: %s", st.toString().c_str());
        }
        Status st = storage.append(rd.entries, rd.hardState ? &*rd.hardState : nullptr);
        if (!st.isOk())
            qFatal("append: %s", st.toString().c_str());
        if (rd.mustSync) {
            st = storage.sync();
            if (!st.isOk())
                qFatal("sync: %s", st.toString().c_str());
        }
        committed.insert(committed.end(), rd.committedEntries.begin(), rd.committedEntries.end());
        node.advance(rd);
    }
    return committed;
}

std::unique_ptr<raft::RawNode> makeNode(DurableStorage &storage, uint64_t applied = 0)
{
    raft::Config c;
    c.id = 1;
    c.storage = &storage;
    c.applied = applied;
    c.randomSeed = 7;
    auto r = raft::RawNode::create(c);
    if (!r)
        qFatal("RawNode::create: %s", r.status().toString().c_str());
    return std::move(*r);
}

} // namespace

class DurableStorageTest : public QObject {
    Q_OBJECT
private slots:
    void bootstrapSurvivesReopen()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString() + "/node";
        const raft::ConfState boot = confState({1, 2, 3}, {4});
        {
            auto s = openOrFail(dir, boot);
            QVERIFY(s);
            QVERIFY(same(s->initialState()->confState, boot));
            QCOMPARE(*s->firstIndex(), uint64_t(1));
            QCOMPARE(*s->lastIndex(), uint64_t(0));
        }
        QVERIFY(std::filesystem::exists(dir + "/snapshot"));
        // An existing directory ignores the bootstrap configuration.
        auto s = openOrFail(dir, confState({9}));
        QVERIFY(s);
        auto init = s->initialState();
        QVERIFY(same(init->confState, boot));
        QVERIFY(same(init->hardState, raft::HardState()));
        QCOMPARE(s->snapshot()->metadata().index(), uint64_t(0));
        QCOMPARE(*s->term(0), uint64_t(0));
        QCOMPARE(*s->firstIndex(), uint64_t(1));
        QCOMPARE(*s->lastIndex(), uint64_t(0));
    }

    void appendedAndSyncedSurviveReopen()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        std::vector<raft::Entry> all = entries(1, 10, 1);
        const auto more = entries(11, 20, 2);
        all.insert(all.end(), more.begin(), more.end());
        const raft::HardState hs = hardState(2, 1, 15);
        {
            auto s = openOrFail(dir);
            QVERIFY(s);
            const raft::HardState first = hardState(1, 1, 5);
            QVERIFY(s->append(entries(1, 10, 1), &first).isOk());
            QVERIFY(s->append(more, &hs).isOk());
            QVERIFY(s->sync().isOk());
            QCOMPARE(s->durableIndex(), uint64_t(20));
            QVERIFY(s->fsyncLatency().snapshot().count() >= 1);
            expectEntries(*s, all);
        }
        auto s = openOrFail(dir);
        QVERIFY(s);
        expectEntries(*s, all);
        QVERIFY(same(s->hardState(), hs));
        QVERIFY(same(s->initialState()->hardState, hs));
        QCOMPARE(*s->term(10), uint64_t(1));
        QCOMPARE(*s->term(11), uint64_t(2));
        QCOMPARE(s->durableIndex(), uint64_t(20));
    }

    void conflictingAppendTruncatesTheSuffix()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        std::vector<raft::Entry> want = entries(1, 5, 1);
        const auto replacement = entries(6, 8, 2);
        want.insert(want.end(), replacement.begin(), replacement.end());
        {
            auto s = openOrFail(dir);
            QVERIFY(s);
            QVERIFY(s->append(entries(1, 10, 1), nullptr).isOk());
            QVERIFY(s->sync().isOk());
            QCOMPARE(s->durableIndex(), uint64_t(10));
            const raft::HardState hs = hardState(2, 2, 5);
            QVERIFY(s->append(replacement, &hs).isOk());
            expectEntries(*s, want);
            QVERIFY(s->sync().isOk());
            QCOMPARE(s->durableIndex(), uint64_t(8));
        }
        auto s = openOrFail(dir);
        QVERIFY(s);
        expectEntries(*s, want);
        QCOMPARE(*s->term(5), uint64_t(1));
        QCOMPARE(*s->term(6), uint64_t(2));
        QCOMPARE(s->term(9).status().code(), StatusCode::NotFound);
        QVERIFY(same(s->hardState(), hardState(2, 2, 5)));
    }

    void appliedSnapshotSurvivesReopen()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        raft::Snapshot snap;
        snap.mutable_metadata()->set_index(20);
        snap.mutable_metadata()->set_term(3);
        *snap.mutable_metadata()->mutable_conf_state() = confState({1, 2}, {5});
        snap.set_data(std::string("image\0at 20", 11));
        const auto after = entries(21, 25, 3);
        const raft::HardState hs = hardState(3, 2, 22);
        {
            auto s = openOrFail(dir);
            QVERIFY(s);
            QVERIFY(s->append(entries(1, 5, 1), nullptr).isOk());
            QVERIFY(s->applySnapshot(snap).isOk());
            QCOMPARE(*s->firstIndex(), uint64_t(21));
            QCOMPARE(*s->lastIndex(), uint64_t(20));
            QVERIFY(s->append(after, &hs).isOk());
            QVERIFY(s->sync().isOk());
            // Older snapshots are refused.
            raft::Snapshot old = snap;
            old.mutable_metadata()->set_index(10);
            QCOMPARE(s->applySnapshot(old).code(), StatusCode::FailedPrecondition);
        }
        auto s = openOrFail(dir);
        QVERIFY(s);
        QVERIFY(same(*s->snapshot(), snap));
        QVERIFY(same(s->initialState()->confState, snap.metadata().conf_state()));
        QCOMPARE(*s->firstIndex(), uint64_t(21));
        QCOMPARE(*s->term(20), uint64_t(3));
        expectEntries(*s, after);
        QVERIFY(raft::isCompacted(s->entries(5, 6, UINT64_MAX).status()));
        QVERIFY(raft::isCompacted(s->term(19).status()));
        QVERIFY(same(s->hardState(), hs));
    }

    void aLeaderSnapshotOnAFullDiskIsRefusedAsFullAndTakenOnceSpaceReturns()
    {
        // A node that was down catches up by the leader's snapshot; its disk is full. That is
        // Unavailable (the metadata loop holds the Ready and retries), not an I/O error that
        // stops the node (found by the fault bed's disk-full nemesis, 2026-12-07).
        QTemporaryDir tmp;
        if (::geteuid() != 0)
            QFAIL("this test mounts a 1 MiB tmpfs: run it as root (CI does)");
        const std::string mount = tmp.path().toStdString() + "/small";
        QVERIFY(QDir().mkpath(QString::fromStdString(mount)));
        QVERIFY2(::mount("tmpfs", mount.c_str(), "tmpfs", 0, "size=1m") == 0, std::strerror(errno));
        struct Unmount {
            std::string path;
            ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
        } unmount{mount};
        DurableStorageOptions options;
        options.wal.segmentBytes = 64 * 1024;
        auto s = openOrFail(mount + "/raft", confState({1}), options);
        QVERIFY(s);
        QVERIFY(s->append(entries(1, 5, 1), nullptr).isOk());

        const std::string filler = mount + "/filler";
        FILE *f = std::fopen(filler.c_str(), "wb");
        QVERIFY(f);
        std::setvbuf(f, nullptr, _IONBF, 0);
        const std::string block(4096, 'x');
        for (size_t size : {size_t(4096), size_t(1)})
            while (std::fwrite(block.data(), 1, size, f) == size) {
            }
        std::fclose(f);

        raft::Snapshot snap;
        snap.mutable_metadata()->set_index(20);
        snap.mutable_metadata()->set_term(3);
        *snap.mutable_metadata()->mutable_conf_state() = confState({1, 2});
        snap.set_data(std::string(64 * 1024, 'i'));
        const Status full = s->applySnapshot(snap);
        QVERIFY2(isStorageFull(full), full.toString().c_str());
        QCOMPARE(s->snapshot()->metadata().index(), uint64_t(0));   // nothing changed
        QVERIFY(!std::filesystem::exists(mount + "/raft/snapshot.tmp"));

        QCOMPARE(::unlink(filler.c_str()), 0);
        QVERIFY(s->applySnapshot(snap).isOk());
        QCOMPARE(s->snapshot()->metadata().index(), uint64_t(20));
        s.reset();
        auto reopened = openOrFail(mount + "/raft", confState({1}), options);
        QVERIFY(reopened);
        QVERIFY(same(*reopened->snapshot(), snap));
    }

    void snapshotAndCompactSurvivesReopen()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        DurableStorageOptions options;
        options.wal.segmentBytes = 4096;  // many segments, so compaction deletes some
        const auto all = entries(1, 200, 1, 64);
        const raft::ConfState cs = confState({1, 2, 3});
        const std::vector<raft::Entry> kept(all.begin() + 130, all.end());  // 131..200
        size_t segmentsBefore = 0;
        {
            auto s = openOrFail(dir, cs, options);
            QVERIFY(s);
            for (uint64_t from = 1; from <= 200; from += 10) {  // one append never spans segments
                const raft::HardState hs = hardState(1, 1, from + 9);
                QVERIFY(s->append(entries(from, from + 9, 1, 64), &hs).isOk());
            }
            QVERIFY(s->sync().isOk());
            segmentsBefore = segmentCount(dir + "/wal");
            QVERIFY(segmentsBefore > 3);
            QVERIFY(s->snapshotAndCompact(150, cs, "state@150", 20).isOk());
            QCOMPARE(*s->firstIndex(), uint64_t(131));
            QVERIFY(raft::isCompacted(s->entries(100, 140, UINT64_MAX).status()));
            QCOMPARE(*s->term(130), uint64_t(1));  // firstIndex - 1 keeps its term
            expectEntries(*s, kept);
            QCOMPARE(s->snapshot()->metadata().index(), uint64_t(150));
            // Not newer than the current snapshot.
            QCOMPARE(s->snapshotAndCompact(150, cs, "again", 0).code(), StatusCode::FailedPrecondition);
            QVERIFY(segmentCount(dir + "/wal") < segmentsBefore);
        }
        {
            auto s = openOrFail(dir, confState({9}), options);
            QVERIFY(s);
            QCOMPARE(*s->firstIndex(), uint64_t(131));
            QVERIFY(raft::isCompacted(s->entries(130, 140, UINT64_MAX).status()));
            QVERIFY(raft::isCompacted(s->term(129).status()));
            expectEntries(*s, kept);
            auto snap = s->snapshot();
            QCOMPARE(snap->metadata().index(), uint64_t(150));
            QCOMPARE(snap->metadata().term(), uint64_t(1));
            QCOMPARE(snap->data(), std::string("state@150"));
            QVERIFY(same(s->initialState()->confState, cs));
            QCOMPARE(s->hardState().commit(), uint64_t(200));
            // Still writable after recovery; compact everything below the new snapshot.
            QVERIFY(s->append(entries(201, 210, 2, 64), nullptr).isOk());
            QVERIFY(s->sync().isOk());
            QVERIFY(s->snapshotAndCompact(205, cs, "state@205", 0).isOk());
            QCOMPARE(*s->firstIndex(), uint64_t(206));
        }
        auto s = openOrFail(dir, cs, options);
        QVERIFY(s);
        QCOMPARE(*s->firstIndex(), uint64_t(206));
        QCOMPARE(*s->lastIndex(), uint64_t(210));
        QCOMPARE(*s->term(205), uint64_t(2));
        QCOMPARE(s->snapshot()->data(), std::string("state@205"));
    }

    void damagedSnapshotFileFailsOpen()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        {
            auto s = openOrFail(dir);
            QVERIFY(s);
            QVERIFY(s->append(entries(1, 10, 1), nullptr).isOk());
            QVERIFY(s->snapshotAndCompact(10, confState({1}), std::string(100, 'x'), 0).isOk());
            QVERIFY(s->sync().isOk());
        }
        const std::string path = dir + "/snapshot";
        const std::string good = readFile(path);
        const auto expectRefused = [&](const std::string &bytes, const char *mentions) {
            writeFile(path, bytes);
            auto r = DurableStorage::open(dir, confState({1}));
            QVERIFY(!r);
            QCOMPARE(r.status().code(), StatusCode::Corruption);
            const std::string msg = r.status().toString();
            QVERIFY2(msg.find(path) != std::string::npos, msg.c_str());
            QVERIFY2(msg.find(mentions) != std::string::npos, msg.c_str());
        };
        std::string flipped = good;
        flipped[good.size() / 2 + 8] ^= 0x10;
        expectRefused(flipped, "CRC mismatch");
        expectRefused(good.substr(0, good.size() - 1), "payload bytes");
        expectRefused(good.substr(0, 5), "shorter than");
        std::string magic = good;
        magic[0] = 'X';
        expectRefused(magic, "bad magic");
        // Repaired, it opens again.
        writeFile(path, good);
        auto s = openOrFail(dir);
        QVERIFY(s);
        QCOMPARE(s->snapshot()->data(), std::string(100, 'x'));
    }

    void missingSnapshotBesideAWalIsRefused()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        {
            auto s = openOrFail(dir);
            QVERIFY(s);
            QVERIFY(s->append(entries(1, 3, 1), nullptr).isOk());
            QVERIFY(s->sync().isOk());
        }
        std::filesystem::remove(dir + "/snapshot");
        auto r = DurableStorage::open(dir, confState({1}));
        QVERIFY(!r);
        QCOMPARE(r.status().code(), StatusCode::Corruption);
        QVERIFY2(r.status().message().find(dir + "/snapshot") != std::string::npos, r.status().toString().c_str());
    }

    void leaderSnapshotWithoutItsMarkerIsFinishedAtOpen()
    {
        // A crash after a leader's snapshot file was renamed into place but before the WAL marker:
        // the log (1..10 at term 1) disagrees with the snapshot (20 at term 4) and is dropped.
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        {
            auto s = openOrFail(dir);
            QVERIFY(s);
            const raft::HardState hs = hardState(1, 1, 10);
            QVERIFY(s->append(entries(1, 10, 1), &hs).isOk());
            QVERIFY(s->sync().isOk());
        }
        raft::Snapshot snap;
        snap.mutable_metadata()->set_index(20);
        snap.mutable_metadata()->set_term(4);
        *snap.mutable_metadata()->mutable_conf_state() = confState({1, 2});
        snap.set_data("leader");
        writeFile(dir + "/snapshot", encodeSnapshotFile(snap));
        {
            auto s = openOrFail(dir);
            QVERIFY(s);
            QVERIFY(same(*s->snapshot(), snap));
            QVERIFY(same(s->initialState()->confState, snap.metadata().conf_state()));
            QCOMPARE(*s->firstIndex(), uint64_t(21));
            QCOMPARE(*s->lastIndex(), uint64_t(20));
            QCOMPARE(s->hardState().commit(), uint64_t(20));  // the snapshot is committed
            QCOMPARE(s->hardState().term(), uint64_t(1));
            QVERIFY(raft::isCompacted(s->entries(10, 11, UINT64_MAX).status()));
            QVERIFY(s->append(entries(21, 22, 4), nullptr).isOk());  // the WAL follows the snapshot
            QVERIFY(s->sync().isOk());
        }
        auto s = openOrFail(dir);
        QVERIFY(s);
        QVERIFY(same(*s->snapshot(), snap));
        QCOMPARE(*s->firstIndex(), uint64_t(21));
        expectEntries(*s, entries(21, 22, 4));
    }

    void rawNodeRestartsFromDurableStorage()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        std::vector<raft::Entry> committed;
        uint64_t term = 0;
        {
            auto storage = openOrFail(dir, confState({1}));
            QVERIFY(storage);
            auto node = makeNode(*storage);
            QVERIFY(node->campaign().isOk());
            committed = drain(*node, *storage);
            QCOMPARE(node->status().role, raft::Role::Leader);
            for (int i = 0; i < 100; ++i) {
                QVERIFY(node->propose("proposal " + std::to_string(i)).isOk());
                if (i % 7 == 0) {  // sometimes several proposals share a Ready
                    auto c = drain(*node, *storage);
                    committed.insert(committed.end(), c.begin(), c.end());
                }
            }
            auto c = drain(*node, *storage);
            committed.insert(committed.end(), c.begin(), c.end());
            term = node->status().term;
            QVERIFY(term >= 1);
            QCOMPARE(committed.size(), size_t(101));  // the leader's NOOP and the proposals
            QCOMPARE(committed.front().type(), raft::ENTRY_NOOP);
            QCOMPARE(committed.back().data(), std::string("proposal 99"));
            QCOMPARE(storage->hardState().commit(), uint64_t(101));
            QCOMPARE(storage->durableIndex(), uint64_t(101));
        }
        auto storage = openOrFail(dir, confState({7}));
        QVERIFY(storage);
        QCOMPARE(storage->hardState().term(), term);
        QCOMPARE(storage->hardState().vote(), uint64_t(1));
        auto node = makeNode(*storage);
        QCOMPARE(node->status().term, term);
        QCOMPARE(node->status().commit, uint64_t(101));
        const auto replayed = drain(*node, *storage);
        QCOMPARE(replayed.size(), committed.size());
        for (size_t i = 0; i < committed.size(); ++i)
            QVERIFY2(same(replayed[i], committed[i]), ("entry " + std::to_string(i + 1)).c_str());
        QCOMPARE(storage->hardState().term(), term);
        // And it can lead again on top of what it recovered.
        QVERIFY(node->campaign().isOk());
        drain(*node, *storage);
        QCOMPARE(node->status().role, raft::Role::Leader);
        QVERIFY(node->status().term > term);
        QVERIFY(node->propose("after restart").isOk());
        const auto after = drain(*node, *storage);
        QVERIFY(!after.empty());
        QCOMPARE(after.back().data(), std::string("after restart"));
    }

    void snapshotKeepingTheWholeLogSurvivesReopen()
    {
        // keepEntries beyond the snapshot index: nothing is compacted, the snapshot sits inside
        // the log and the WAL has no marker at all.
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const auto all = entries(1, 8, 2);
        {
            auto s = openOrFail(dir, confState({1, 2}));
            QVERIFY(s);
            QVERIFY(s->append(all, nullptr).isOk());
            QVERIFY(s->sync().isOk());
            QVERIFY(s->snapshotAndCompact(5, confState({1, 2, 3}), "sm@5", 100).isOk());
            QCOMPARE(*s->firstIndex(), uint64_t(1));
            expectEntries(*s, all);
        }
        auto s = openOrFail(dir);
        QVERIFY(s);
        QCOMPARE(*s->firstIndex(), uint64_t(1));
        expectEntries(*s, all);
        QCOMPARE(s->snapshot()->metadata().index(), uint64_t(5));
        QCOMPARE(s->snapshot()->metadata().term(), uint64_t(2));
        QCOMPARE(s->snapshot()->data(), std::string("sm@5"));
        QVERIFY(same(s->initialState()->confState, confState({1, 2, 3})));
    }

    void rawNodeRestartsFromACompactedLog()
    {
        // The application restores its state machine from snapshot() and restarts the node with
        // Config.applied = the snapshot's index: only the entries after it are delivered again.
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        std::vector<raft::Entry> committed;
        {
            auto storage = openOrFail(dir, confState({1}));
            QVERIFY(storage);
            auto node = makeNode(*storage);
            QVERIFY(node->campaign().isOk());
            committed = drain(*node, *storage);
            for (int i = 0; i < 50; ++i) {
                QVERIFY(node->propose("p" + std::to_string(i)).isOk());
                auto c = drain(*node, *storage);
                committed.insert(committed.end(), c.begin(), c.end());
            }
            QCOMPARE(committed.size(), size_t(51));
            QVERIFY(storage->snapshotAndCompact(40, confState({1}), "sm@40", 10).isOk());
            QCOMPARE(*storage->firstIndex(), uint64_t(31));
        }
        auto storage = openOrFail(dir, confState({1}));
        QVERIFY(storage);
        QCOMPARE(*storage->firstIndex(), uint64_t(31));
        const raft::Snapshot snap = *storage->snapshot();
        QCOMPARE(snap.data(), std::string("sm@40"));
        auto node = makeNode(*storage, snap.metadata().index());
        const auto replayed = drain(*node, *storage);
        QCOMPARE(replayed.size(), size_t(11));
        for (size_t i = 0; i < replayed.size(); ++i)
            QVERIFY(same(replayed[i], committed[40 + i]));
        QVERIFY(node->campaign().isOk());
        drain(*node, *storage);
        QCOMPARE(node->status().role, raft::Role::Leader);
    }
};

QTEST_GUILESS_MAIN(DurableStorageTest)
#include "DurableStorageTest.moc"
