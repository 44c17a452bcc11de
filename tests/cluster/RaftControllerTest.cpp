// In-process clusters of RaftControllers over real loopback peer links (3 and 5 nodes): leader
// election, forwarding, answers after the local apply, failover, snapshots and catch-up, joining,
// DescribeQuorum through any node, and the typed-entry rule (an entry of an unknown type halts
// the loop loudly).
#include "cluster/RaftController.h"
#include "cluster/storage/DurableStorage.h"
#include "metadata.pb.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <vector>

using namespace skiff;
using namespace skiff::cluster;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

metadata::Command registerBroker(uint64_t id)
{
    metadata::Command c;
    auto *r = c.mutable_register_broker();
    r->set_broker_id(id);
    r->set_incarnation_id("inc-" + std::to_string(id));
    r->set_kafka_host("127.0.0.1");
    r->set_kafka_port(9000 + uint32_t(id));
    return c;
}

metadata::Command createTopic(const std::string &name)
{
    metadata::Command c;
    auto *t = c.mutable_create_topic();
    t->set_name(name);
    t->set_topic_id(std::string(16, 'x'));
    auto *p = t->add_partitions();
    p->set_partition(0);
    p->add_replicas(1);
    return c;
}

struct Member {
    ClusterOptions options;
    std::unique_ptr<RaftController> controller;
};

class TestCluster {
public:
    TestCluster(int size, const QString &root, uint64_t snapshotEntries = 10000) : m_root(root)
    {
        std::map<uint64_t, std::string> voters;
        for (int i = 1; i <= size; ++i)
            voters[uint64_t(i)] = "127.0.0.1:" + std::to_string(freePort());
        for (int i = 1; i <= size; ++i)
            members.push_back({options(uint64_t(i), voters, snapshotEntries), nullptr});
    }

    ClusterOptions options(uint64_t id, const std::map<uint64_t, std::string> &voters, uint64_t snapshotEntries) const
    {
        ClusterOptions o;
        o.nodeId = id;
        o.clusterId = "test-cluster";
        o.incarnationId = "inc-" + std::to_string(id);
        o.buildVersion = "test";
        o.joinToken = "test-join-token";
        o.dataDir = (m_root + QStringLiteral("/node%1").arg(id)).toStdString();
        o.raftHost = "127.0.0.1";
        o.raftPort = voters.count(id) ? uint16_t(std::stoi(voters.at(id).substr(10))) : freePort();
        o.initialVoters = voters;
        o.tickMs = 10;
        o.electionTicks = 10;
        o.brokerHeartbeatIntervalMs = 50;
        o.brokerSessionTimeoutMs = 400;
        o.snapshotEntries = snapshotEntries;
        o.snapshotKeepEntries = 2;
        return o;
    }

    bool start(size_t i)
    {
        members[i].controller = std::make_unique<RaftController>(members[i].options);
        QSignalSpy ready(members[i].controller.get(), &RaftController::ready);
        members[i].controller->start();   // posted: ready() comes from the event loop
        return QTest::qWaitFor([&]() { return ready.count() == 1; }, 5000);
    }
    bool startAll()
    {
        for (size_t i = 0; i < members.size(); ++i)
            if (!start(i))
                return false;
        return true;
    }
    // Stops member i and waits until it has (its log synced), then destroys it.
    bool stop(size_t i)
    {
        bool stopped = false;
        QObject context;
        members[i].controller->stop(&context, [&stopped]() { stopped = true; });
        if (!QTest::qWaitFor([&]() { return stopped; }, 5000))
            return false;
        members[i].controller.reset();
        return true;
    }
    RaftController &at(uint64_t id) { return *members[id - 1].controller; }

    // The leader every running member names, or 0 while they disagree.
    uint64_t agreedLeader() const
    {
        uint64_t leader = 0;
        for (const auto &m : members) {
            if (!m.controller)
                continue;
            const uint64_t l = m.controller->clusterStatus()->leaderId;
            if (l == 0 || (leader != 0 && l != leader))
                return 0;
            leader = l;
        }
        return leader;
    }

    std::vector<Member> members;

private:
    QString m_root;
};

// Submits and waits for the answer on this thread.
metadata::ApplyResult submitAndWait(RaftController &c, const metadata::Command &command, QObject *context)
{
    bool answered = false;
    metadata::ApplyResult out;
    c.submit(command, context, [&](metadata::ApplyResult r) {
        out = std::move(r);
        answered = true;
    });
    for (int i = 0; i < 500 && !answered; ++i)
        QTest::qWait(10);
    if (!answered)
        out.status = internalError("no answer within 5 s");
    return out;
}

// Asks `c` for the quorum and waits for the answer on this thread.
Result<metadata::QuorumDescription> describeAndWait(RaftController &c, QObject *context)
{
    std::optional<Result<metadata::QuorumDescription>> out;
    c.describeQuorum(context, [&](Result<metadata::QuorumDescription> r) { out.emplace(std::move(r)); });
    for (int i = 0; i < 500 && !out; ++i)
        QTest::qWait(10);
    return out ? *out : Result<metadata::QuorumDescription>(internalError("no answer within 5 s"));
}

const metadata::QuorumReplica *voter(const metadata::QuorumDescription &d, uint64_t id)
{
    for (const auto &r : d.voters)
        if (r.id == id)
            return &r;
    return nullptr;
}

QStringList s_fenceMessages;

void recordFenceMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (message.contains(QLatin1String(" fenced")))
        s_fenceMessages << QStringLiteral("%1: %2").arg(type == QtWarningMsg ? "warning" : type == QtInfoMsg ? "info" : "other", message);
}

} // namespace

class RaftControllerTest : public QObject {
    Q_OBJECT
private slots:
    void threeNodesAgreeOnLeaderAndBrokers() { agreeOnLeaderAndBrokers(3); }
    void fiveNodesAgreeOnLeaderAndBrokers() { agreeOnLeaderAndBrokers(5); }

    void followerProposalIsAnsweredAfterItsOwnApply()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        const uint64_t follower = cluster.agreedLeader() == 1 ? 2 : 1;
        RaftController &f = cluster.at(follower);
        bool sawIt = false;
        bool answered = false;
        f.submit(createTopic("through-follower"), this, [&](metadata::ApplyResult r) {
            answered = true;
            // The proposer's own image already holds what it was told is applied.
            sawIt = r.status.isOk() && f.image()->topic("through-follower") != nullptr;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
        QVERIFY(sawIt);
        for (uint64_t id = 1; id <= 3; ++id)
            QTRY_VERIFY_WITH_TIMEOUT(cluster.at(id).image()->topic("through-follower") != nullptr, 2000);
        // A second create of the same name is a result, not a lost proposal.
        auto again = submitAndWait(f, createTopic("through-follower"), this);
        QCOMPARE(again.status.code(), StatusCode::AlreadyExists);
    }

    void theStatusNamesTheLeaderBeforeLeaderChangedIsSignalled()
    {
        // skiffd registers when its logs are open and the status names a leader, or on
        // leaderChanged: a signal sent before the status named the leader was once missed by a
        // node still opening its logs, which then waited for a leader forever.
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        int signalled = 0;
        QStringList stale;
        for (size_t i = 0; i < cluster.members.size(); ++i) {
            cluster.members[i].controller = std::make_unique<RaftController>(cluster.members[i].options);
            RaftController *c = cluster.members[i].controller.get();
            connect(c, &RaftController::leaderChanged, this, [&signalled, &stale, c](quint64 leader, quint64 term) {
                ++signalled;
                const auto status = c->clusterStatus();
                if (status->leaderId != leader || status->term != term)
                    stale << QStringLiteral("node %1 signalled leader %2 term %3, status said leader %4 term %5")
                                 .arg(status->nodeId).arg(leader).arg(term).arg(status->leaderId).arg(status->term);
            });
            QSignalSpy ready(c, &RaftController::ready);
            c->start();
            QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 5000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        const uint64_t old = cluster.agreedLeader();
        QVERIFY(cluster.stop(old - 1));   // a second change, seen as "no leader" then a new one
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0 && cluster.agreedLeader() != old, 5000);
        QVERIFY(signalled >= 5);
        QVERIFY2(stale.isEmpty(), qPrintable(stale.join(QLatin1Char('\n'))));
    }

    void linearizableReadOnAFollowerSeesWhatTheLeaderCommitted()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        const uint64_t leader = cluster.agreedLeader();
        const uint64_t follower = leader == 1 ? 2 : 1;
        for (int i = 0; i < 5; ++i) {
            const std::string name = "read-" + std::to_string(i);
            QVERIFY(submitAndWait(cluster.at(leader), createTopic(name), this).status.isOk());
            metadata::ImagePtr seen;
            bool answered = false;
            cluster.at(follower).linearizableRead(this, [&](Status s, metadata::ImagePtr image) {
                answered = true;
                QVERIFY2(s.isOk(), s.toString().c_str());
                seen = image;
            });
            QTRY_VERIFY_WITH_TIMEOUT(answered, 3000);
            QVERIFY(seen && seen->topic(name));
        }
    }

    void leaderFailoverKeepsCommittedStateAndAcceptsProposals()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        const uint64_t old = cluster.agreedLeader();
        QVERIFY(submitAndWait(cluster.at(old), createTopic("before"), this).status.isOk());
        QVERIFY(cluster.stop(old - 1));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0 && cluster.agreedLeader() != old, 5000);
        const uint64_t survivor = old == 1 ? 2 : 1;
        QVERIFY(cluster.at(survivor).image()->topic("before"));
        QVERIFY(submitAndWait(cluster.at(survivor), createTopic("after"), this).status.isOk());
        // The old leader comes back as a follower and catches up.
        QVERIFY(cluster.start(old - 1));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.at(old).image()->topic("after") != nullptr, 5000);
        QVERIFY(cluster.agreedLeader() != 0);
    }

    void silentBrokerIsFencedAndUnfencedWhenBack()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        for (uint64_t id = 1; id <= 3; ++id)
            QVERIFY(submitAndWait(cluster.at(id), registerBroker(id), this).status.isOk());
        const uint64_t leader = cluster.agreedLeader();
        const uint64_t victim = leader == 3 ? 2 : 3;
        const uint64_t witness = 6 - leader - victim;
        s_fenceMessages.clear();
        const QtMessageHandler previous = qInstallMessageHandler(recordFenceMessages);
        QVERIFY(cluster.stop(victim - 1));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.at(witness).image()->broker(victim)->fenced, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(cluster.at(leader).image()->broker(victim)->fenced, 3000);
        qInstallMessageHandler(previous);
        // Warned once, where it was decided; the witness applies it as a fact.
        const QStringList expected{
            QStringLiteral("warning: broker %1 fenced: no heartbeat for 400 ms").arg(victim),
            QStringLiteral("info: broker %1 fenced by the controller (node %2)").arg(victim).arg(leader)};
        QStringList seen = s_fenceMessages;
        for (QString &m : seen)
            m = m.section(QStringLiteral(", entry "), 0, 0);
        seen.sort();
        QStringList want = expected;
        want.sort();
        QCOMPARE(seen, want);
        QVERIFY(!cluster.at(witness).image()->broker(leader)->fenced);
        QVERIFY(cluster.start(victim - 1));
        QTRY_VERIFY_WITH_TIMEOUT(!cluster.at(witness).image()->broker(victim)->fenced, 5000);
        QSignalSpy caughtUp(&cluster.at(victim), &RaftController::caughtUp);
        QTRY_VERIFY_WITH_TIMEOUT(cluster.at(victim).clusterStatus()->caughtUp(), 3000);
    }

    void laggingNodeCatchesUpFromASnapshot()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path(), /*snapshotEntries=*/10);
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        const uint64_t leader = cluster.agreedLeader();
        const uint64_t lagging = leader == 3 ? 2 : 3;
        QVERIFY(cluster.stop(lagging - 1));
        for (int i = 0; i < 40; ++i)
            QVERIFY(submitAndWait(cluster.at(leader), createTopic("t" + std::to_string(i)), this).status.isOk());
        // The leader compacted past what the lagging node has: it can only catch up by snapshot.
        QVERIFY(QDir(QString::fromStdString(cluster.members[leader - 1].options.dataDir + "/metadata/raft")).exists("snapshot"));
        QVERIFY(cluster.start(lagging - 1));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.at(lagging).image()->topic("t39") != nullptr, 5000);
        QCOMPARE(cluster.at(lagging).image()->topics.size(), size_t(40));
        // And it restarts from its own snapshot.
        QVERIFY(cluster.stop(lagging - 1));
        QVERIFY(cluster.start(lagging - 1));
        QCOMPARE(cluster.at(lagging).image()->topics.size(), size_t(40));
    }

    void aJoinerBecomesAVoter()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        QVERIFY(submitAndWait(cluster.at(1), createTopic("existing"), this).status.isOk());
        ClusterOptions o = cluster.options(4, {}, 10000);
        o.joinAddress = cluster.members[0].options.raftHost + ":" + std::to_string(cluster.members[0].options.raftPort);
        cluster.members.push_back({o, nullptr});
        QVERIFY(cluster.start(3));
        auto isVoter = [&](uint64_t id, RaftController &c) {
            const auto &v = c.clusterStatus()->voters;
            return std::find(v.begin(), v.end(), id) != v.end();
        };
        QTRY_VERIFY_WITH_TIMEOUT(isVoter(4, cluster.at(1)) && isVoter(4, cluster.at(4)), 8000);
        QVERIFY(cluster.at(4).image()->topic("existing"));
        QCOMPARE(cluster.at(4).clusterStatus()->leaderId, cluster.at(1).clusterStatus()->leaderId);

        QVERIFY(submitAndWait(cluster.at(4), registerBroker(4), this).status.isOk());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.at(1).image()->broker(4) != nullptr, 2000);

        // And leaves again, and the broker registry with it.
        bool removed = false;
        const uint64_t leader = cluster.agreedLeader();
        QVERIFY(leader != 0);
        cluster.at(leader).removeNode(4, this, [&](Status s) { removed = s.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(!isVoter(4, cluster.at(leader)), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(cluster.at(leader).image()->broker(4) == nullptr, 3000);
    }

    void leadershipTransferMovesTheLeader()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        const uint64_t from = cluster.agreedLeader();
        const uint64_t to = from % 3 + 1;
        bool done = false;
        cluster.at(from).transferLeadership(to, this, [&](Status s) { done = s.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(done, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(cluster.agreedLeader(), to, 5000);
    }

    void describeQuorumThroughAnyNodeIsTheLeadersView()
    {
        QTemporaryDir dir;
        TestCluster cluster(3, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        const uint64_t leader = cluster.agreedLeader();
        QVERIFY(submitAndWait(cluster.at(leader), createTopic("quorum"), this).status.isOk());
        // Every node answers with the leader's view (a follower asks the leader), and every
        // voter has been heard from and holds what is committed.
        const auto caughtUp = [&](uint64_t through) {
            const auto d = describeAndWait(cluster.at(through), this);
            if (!d.isOk() || d->leaderId != leader || d->voters.size() != 3 || !d->observers.empty())
                return false;
            for (const auto &r : d->voters)
                if (r.logEndOffset < int64_t(d->highWatermark) || r.lastFetchUnixMs < 0 || r.lastCaughtUpUnixMs < 0)
                    return false;
            return d->term == cluster.at(leader).clusterStatus()->term;
        };
        for (uint64_t id = 1; id <= 3; ++id)
            QTRY_VERIFY_WITH_TIMEOUT(caughtUp(id), 5000);

        // A stopped follower is no longer heard from: its times stay while the other's advance,
        // and its log end falls behind what the leader commits without it.
        const uint64_t stopped = leader % 3 + 1;
        const uint64_t other = stopped % 3 + 1;
        QVERIFY(other != leader);
        QVERIFY(cluster.stop(stopped - 1));
        const auto lastFetchOf = [&](uint64_t id) {
            const auto d = describeAndWait(cluster.at(leader), this);
            return d.isOk() && voter(*d, id) ? voter(*d, id)->lastFetchUnixMs : int64_t(-1);
        };
        QTRY_VERIFY_WITH_TIMEOUT(lastFetchOf(other) > lastFetchOf(stopped), 5000);   // its last answers are in
        const auto before = describeAndWait(cluster.at(leader), this);
        QVERIFY(before.isOk());
        const metadata::QuorumReplica gone = *voter(*before, stopped);
        QVERIFY(submitAndWait(cluster.at(leader), createTopic("without-one"), this).status.isOk());
        QTRY_VERIFY_WITH_TIMEOUT(lastFetchOf(other) > voter(*before, other)->lastFetchUnixMs, 5000);
        const auto after = describeAndWait(cluster.at(other), this);   // through the remaining follower
        QVERIFY2(after.isOk(), after.status().toString().c_str());
        QCOMPARE(*voter(*after, stopped), gone);
        QVERIFY(after->highWatermark > before->highWatermark);
        QVERIFY(voter(*after, stopped)->logEndOffset < int64_t(after->highWatermark));
        QVERIFY(voter(*after, other)->logEndOffset >= int64_t(after->highWatermark));   // the commit needed it
    }

    void producerIdBlocksAreNeverReusedAfterRestart()
    {
        QTemporaryDir dir;
        TestCluster cluster(1, dir.path());
        metadata::Command alloc;
        alloc.mutable_allocate_producer_ids()->set_broker_id(1);
        alloc.mutable_allocate_producer_ids()->set_count(1000);
        QVERIFY(cluster.start(0));
        const auto first = submitAndWait(cluster.at(1), alloc, this);
        QVERIFY2(first.status.isOk(), first.status.toString().c_str());
        QVERIFY(cluster.stop(0));
        QVERIFY(cluster.start(0));
        const auto second = submitAndWait(cluster.at(1), alloc, this);
        QVERIFY(second.status.isOk());
        QVERIFY(second.value >= first.value + 1000);
    }

    void anEntryOfUnknownTypeHaltsTheLoopLoudly()
    {
        checkRefusedEntry(raft::EntryType(99), "not-a-command", "unknown type 99");
    }

    void aNormalEntryThatIsNoCommandHaltsTheLoopLoudly()
    {
        checkRefusedEntry(raft::ENTRY_NORMAL, "\xff\xff\xff garbage", "holds no metadata command");
    }

    void aConfChangeIsNeverDecodedAsACommand()
    {
        // A committed CONF_CHANGE entry adds a learner: applied as a configuration change, and the
        // metadata image does not change (the predecessor decoded these as metadata commands).
        QTemporaryDir dir;
        TestCluster cluster(1, dir.path());
        QVERIFY(cluster.start(0));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() == 1, 2000);
        const auto before = cluster.at(1).image();
        bool done = false;
        cluster.at(1).addNode(7, "127.0.0.1:1", this, [&](Status s) { done = s.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(done, 2000);
        QTRY_VERIFY_WITH_TIMEOUT(!cluster.at(1).clusterStatus()->learners.empty(), 2000);
        QCOMPARE(cluster.at(1).clusterStatus()->learners.front(), uint64_t(7));
        QCOMPARE(cluster.at(1).image()->brokers.size(), before->brokers.size());
        QCOMPARE(cluster.at(1).image()->topics.size(), before->topics.size());
        QVERIFY(cluster.at(1).clusterStatus()->haltReason.empty());
    }

private:
    void agreeOnLeaderAndBrokers(int size)
    {
        QTemporaryDir dir;
        TestCluster cluster(size, dir.path());
        QVERIFY(cluster.startAll());
        QTRY_VERIFY_WITH_TIMEOUT(cluster.agreedLeader() != 0, 5000);
        // Every node registers through its own controller; followers forward to the leader.
        for (int id = 1; id <= size; ++id) {
            auto r = submitAndWait(cluster.at(uint64_t(id)), registerBroker(uint64_t(id)), this);
            QVERIFY2(r.status.isOk(), r.status.toString().c_str());
        }
        const uint64_t leader = cluster.agreedLeader();
        for (int id = 1; id <= size; ++id) {
            RaftController &c = cluster.at(uint64_t(id));
            QTRY_COMPARE_WITH_TIMEOUT(c.image()->brokers.size(), size_t(size), 3000);
            QCOMPARE(c.image()->controllerId, leader);
        }
        QCOMPARE(cluster.at(1).clusterStatus()->voters.size(), size_t(size));
    }

    void checkRefusedEntry(raft::EntryType type, const std::string &data, const char *expected)
    {
        QTemporaryDir dir;
        TestCluster cluster(1, dir.path());
        {
            raft::ConfState cs;
            cs.add_voters(1);
            auto storage = DurableStorage::open(cluster.members[0].options.dataDir + "/metadata/raft", cs);
            QVERIFY(storage.isOk());
            raft::Entry e;
            e.set_index(1);
            e.set_term(1);
            e.set_type(type);
            e.set_data(data);
            raft::HardState hs;
            hs.set_term(1);
            hs.set_commit(1);
            QVERIFY(storage.value()->append({e}, &hs).isOk());
            QVERIFY(storage.value()->sync().isOk());
        }
        cluster.members[0].controller = std::make_unique<RaftController>(cluster.members[0].options);
        QSignalSpy failed(cluster.members[0].controller.get(), &RaftController::failed);
        QSignalSpy ready(cluster.members[0].controller.get(), &RaftController::ready);
        cluster.members[0].controller->start();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        QCOMPARE(ready.count(), 0);
        const QString reason = failed.at(0).at(0).toString();
        QVERIFY2(reason.contains(QLatin1String(expected)), qPrintable(reason));
        QVERIFY2(reason.contains(QLatin1String("entry 1")), qPrintable(reason));
        QVERIFY(cluster.at(1).image()->brokers.empty());   // nothing was applied as a command
        auto r = submitAndWait(cluster.at(1), createTopic("x"), this);
        QCOMPARE(r.status.code(), StatusCode::Unavailable);
    }
};

QTEST_GUILESS_MAIN(RaftControllerTest)
#include "RaftControllerTest.moc"
