// Broker heartbeats without sockets or waiting: what a broker sends and when, how the controller
// answers, and which fencing it proposes (the clock is a number the test moves).
#include "cluster/BrokerHeartbeats.h"

#include <QTest>

#include <vector>

using namespace skiff;
using namespace skiff::cluster;

namespace {

constexpr int64_t kIntervalMs = 100;
constexpr int64_t kSessionMs = 1000;

struct Sent {
    uint64_t to = 0;
    PeerFrame frame;
};

// Records what a BrokerHeartbeats sends and proposes.
struct Recorder {
    std::vector<Sent> sent;
    std::vector<metadata::Command> proposed;
    std::vector<uint64_t> confirmations;   // leadership checks asked for (ReadIndex sequences)

    BrokerHeartbeats::Hooks hooks()
    {
        return {[this](uint64_t to, const PeerFrame &frame) { sent.push_back({to, frame}); },
                [this](metadata::Command command) { proposed.push_back(std::move(command)); },
                [this](uint64_t sequence) { confirmations.push_back(sequence); }};
    }
};

BrokerHeartbeatReply replyTo(const PeerFrame &heartbeat, uint64_t commit, bool fenced = false)
{
    BrokerHeartbeatReply reply;
    reply.set_leader_commit(commit);
    reply.set_fenced(fenced);
    reply.set_sequence(heartbeat.broker_heartbeat().sequence());
    return reply;
}

metadata::MetadataImage imageWith(std::initializer_list<metadata::BrokerInfo> brokers)
{
    metadata::MetadataImage image;
    for (const auto &b : brokers)
        image.brokers[b.id] = b;
    return image;
}

metadata::BrokerInfo broker(uint64_t id, std::string incarnation, bool fenced = false)
{
    metadata::BrokerInfo b;
    b.id = id;
    b.incarnationId = std::move(incarnation);
    b.fenced = fenced;
    return b;
}

BrokerHeartbeat heartbeatOf(uint64_t id, std::string incarnation, uint64_t applied)
{
    BrokerHeartbeat hb;
    hb.set_broker_id(id);
    hb.set_incarnation_id(std::move(incarnation));
    hb.set_applied_index(applied);
    return hb;
}

BrokerHeartbeats::RaftView follower(uint64_t leader, uint64_t applied) { return {leader, false, 0, applied}; }
BrokerHeartbeats::RaftView leading(uint64_t self, uint64_t commit) { return {self, true, commit, commit}; }

} // namespace

class BrokerHeartbeatsTest : public QObject {
    Q_OBJECT
private slots:
    void aRegisteredBrokerHeartbeatsTheLeaderWithItsAppliedIndex()
    {
        Recorder r;
        BrokerHeartbeats hb(2, "inc-2", kIntervalMs, kSessionMs, r.hooks());
        const auto registered = imageWith({broker(2, "inc-2")});
        QVERIFY(hb.due(0));
        hb.send(registered, follower(1, 17), 0);
        QCOMPARE(r.sent.size(), size_t(1));
        QCOMPARE(r.sent[0].to, uint64_t(1));
        QVERIFY(r.sent[0].frame.has_broker_heartbeat());
        QCOMPARE(r.sent[0].frame.broker_heartbeat().broker_id(), uint64_t(2));
        QCOMPARE(r.sent[0].frame.broker_heartbeat().incarnation_id(), std::string("inc-2"));
        QCOMPARE(r.sent[0].frame.broker_heartbeat().applied_index(), uint64_t(17));
        // The interval counts from the last heartbeat that went.
        QVERIFY(!hb.due(kIntervalMs - 1));
        QVERIFY(hb.due(kIntervalMs));
        // sendNow does not wait for the interval.
        hb.sendNow(registered, follower(1, 18), 10);
        QCOMPARE(r.sent.size(), size_t(2));
        QVERIFY(!hb.due(10 + kIntervalMs - 1));
    }

    void nothingGoesBeforeRegistrationOrWithoutALeader()
    {
        Recorder r;
        BrokerHeartbeats hb(2, "inc-2", kIntervalMs, kSessionMs, r.hooks());
        hb.send(imageWith({}), follower(1, 5), 0);                          // not registered
        hb.send(imageWith({broker(2, "inc-old")}), follower(1, 5), 0);      // a predecessor is
        hb.send(imageWith({broker(2, "inc-2")}), follower(0, 5), 0);        // no leader known
        QVERIFY(r.sent.empty());
        // Nothing went, so the next tick tries again.
        QVERIFY(hb.due(1));
        hb.sendNow(imageWith({}), follower(1, 5), 1);
        QVERIFY(r.sent.empty());
        QVERIFY(hb.due(2));
    }

    void theAnswerSaysWhatTheLeaderCommittedUntilTheLeaderChanges()
    {
        Recorder r;
        BrokerHeartbeats hb(2, "inc-2", kIntervalMs, kSessionMs, r.hooks());
        QVERIFY(!hb.answered());
        BrokerHeartbeatReply reply;
        reply.set_leader_commit(42);
        hb.onReply(reply);
        QVERIFY(hb.answered());
        QCOMPARE(hb.leaderCommitAtHeartbeat(), uint64_t(42));
        hb.leaderChanged();
        QVERIFY(!hb.answered());
    }

    void aLeaderRecordsItsOwnHeartbeatWithoutAFrame()
    {
        Recorder r;
        BrokerHeartbeats hb(1, "inc-1", kIntervalMs, kSessionMs, r.hooks());
        const auto image = imageWith({broker(1, "inc-1")});
        hb.becameLeader(0);
        hb.send(image, leading(1, 30), 50);
        QVERIFY(r.sent.empty());
        QVERIFY(hb.answered());
        QCOMPARE(hb.leaderCommitAtHeartbeat(), uint64_t(30));
        QCOMPARE(hb.heartbeatAgesMs(image, 80), (std::map<uint64_t, int64_t>{{1, 30}}));
    }

    void theControllerAnswersEveryHeartbeatButCountsOnlyAMembersRegisteredIncarnation()
    {
        Recorder r;
        BrokerHeartbeats hb(1, "inc-1", kIntervalMs, kSessionMs, r.hooks());
        const auto image = imageWith({broker(2, "inc-2"), broker(3, "inc-3", /*fenced=*/true)});
        hb.becameLeader(0);
        hb.onHeartbeat(2, heartbeatOf(2, "inc-2", 9), /*member=*/true, image, leading(1, 10), 100);
        hb.onHeartbeat(3, heartbeatOf(3, "inc-3", 9), /*member=*/false, image, leading(1, 10), 100);
        hb.onHeartbeat(3, heartbeatOf(3, "inc-stale", 9), /*member=*/true, image, leading(1, 10), 100);
        hb.onHeartbeat(4, heartbeatOf(4, "inc-4", 9), /*member=*/true, image, leading(1, 10), 100);
        QCOMPARE(r.sent.size(), size_t(4));
        const std::vector<std::pair<uint64_t, bool>> expected{{2, false}, {3, true}, {3, true}, {4, true}};
        for (size_t i = 0; i < r.sent.size(); ++i) {
            QCOMPARE(r.sent[i].to, expected[i].first);
            QVERIFY(r.sent[i].frame.has_broker_heartbeat_reply());
            QCOMPARE(r.sent[i].frame.broker_heartbeat_reply().leader_commit(), uint64_t(10));
            QCOMPARE(r.sent[i].frame.broker_heartbeat_reply().fenced(), expected[i].second);   // unknown = fenced
        }
        QCOMPARE(hb.heartbeatAgesMs(image, 150), (std::map<uint64_t, int64_t>{{2, 50}}));
    }

    void aFollowerNeitherAnswersNorCounts()
    {
        Recorder r;
        BrokerHeartbeats hb(1, "inc-1", kIntervalMs, kSessionMs, r.hooks());
        const auto image = imageWith({broker(2, "inc-2")});
        hb.onHeartbeat(2, heartbeatOf(2, "inc-2", 9), true, image, follower(3, 9), 100);
        QVERIFY(r.sent.empty());
        QVERIFY(hb.heartbeatAgesMs(image, 100).empty());
    }

    void aSilentBrokerIsFencedAndUnfencedOnceBackAndCaughtUp()
    {
        Recorder r;
        BrokerHeartbeats hb(1, "inc-1", kIntervalMs, kSessionMs, r.hooks());
        hb.becameLeader(0);
        auto image = imageWith({broker(2, "inc-2")});
        hb.proposeFencing(image, 0);            // its session starts when the controller first looks
        hb.proposeFencing(image, kSessionMs);   // silent exactly the session timeout: not yet
        QVERIFY(r.proposed.empty());
        hb.proposeFencing(image, kSessionMs + 1);
        QCOMPARE(r.proposed.size(), size_t(1));
        QVERIFY(r.proposed[0].has_fence_broker());
        QCOMPARE(r.proposed[0].fence_broker().broker_id(), uint64_t(2));
        QCOMPARE(r.proposed[0].fence_broker().incarnation_id(), std::string("inc-2"));

        // Applied: fenced. It comes back; the first heartbeat only learns the commit index, the
        // second shows it applied that far.
        image.brokers[2].fenced = true;
        hb.onHeartbeat(2, heartbeatOf(2, "inc-2", 3), true, image, leading(1, 20), 5000);
        hb.proposeFencing(image, 5000);
        QCOMPARE(r.proposed.size(), size_t(1));
        hb.onHeartbeat(2, heartbeatOf(2, "inc-2", 20), true, image, leading(1, 21), 5100);
        hb.proposeFencing(image, 5100);
        QCOMPARE(r.proposed.size(), size_t(2));
        QVERIFY(r.proposed[1].has_unfence_broker());
        QCOMPARE(r.proposed[1].unfence_broker().broker_id(), uint64_t(2));
        QCOMPARE(r.proposed[1].unfence_broker().incarnation_id(), std::string("inc-2"));
    }

    // ---- the leadership lease (BrokerLease.h)

    void theLeaseStartsWhenTheHeartbeatWasSentOnceItsAnswerIsApplied()
    {
        Recorder r;
        BrokerHeartbeats hb(2, "inc-2", kIntervalMs, kSessionMs, r.hooks());
        const auto registered = imageWith({broker(2, "inc-2")});
        QVERIFY(!hb.lease().held(0));
        hb.send(registered, follower(1, 10), 1000);
        QCOMPARE(r.sent.size(), size_t(1));
        QVERIFY(r.sent[0].frame.broker_heartbeat().sequence() != 0);
        hb.onReply(replyTo(r.sent[0].frame, 12));   // answered later than sent: the send time counts
        hb.applied(11);
        QVERIFY2(!hb.lease().held(1300), "what the controller had committed is not applied here yet");
        hb.applied(12);
        QVERIFY(hb.lease().held(1300));
        QCOMPARE(hb.lease().expiresAtMs(), 1000 + hb.lease().durationMs());
        QVERIFY(hb.lease().durationMs() < kSessionMs);   // a margin below the controller's timeout
        QVERIFY(hb.lease().held(1000 + hb.lease().durationMs() - 1));
        QVERIFY2(!hb.lease().held(1000 + hb.lease().durationMs()), "a broker paused past the lease leads nothing");
    }

    void aFencedAnswerGrantsNoLease()
    {
        Recorder r;
        BrokerHeartbeats hb(2, "inc-2", kIntervalMs, kSessionMs, r.hooks());
        hb.send(imageWith({broker(2, "inc-2")}), follower(1, 10), 1000);
        hb.onReply(replyTo(r.sent[0].frame, 10, /*fenced=*/true));
        hb.applied(10);
        QVERIFY(!hb.lease().held(1001));
    }

    void anAnswerToAnOlderHeartbeatExtendsNothingPastItsOwnSendTime()
    {
        Recorder r;
        BrokerHeartbeats hb(2, "inc-2", kIntervalMs, kSessionMs, r.hooks());
        const auto registered = imageWith({broker(2, "inc-2")});
        hb.send(registered, follower(1, 10), 1000);
        hb.send(registered, follower(1, 10), 1500);
        hb.applied(10);
        hb.onReply(replyTo(r.sent[0].frame, 10));   // the first one's answer, arriving after the second left
        QCOMPARE(hb.lease().expiresAtMs(), 1000 + hb.lease().durationMs());
        hb.onReply(replyTo(r.sent[1].frame, 10));
        QCOMPARE(hb.lease().expiresAtMs(), 1500 + hb.lease().durationMs());
        hb.onReply(replyTo(r.sent[0].frame, 10));   // a duplicate of an old answer moves nothing back
        QCOMPARE(hb.lease().expiresAtMs(), 1500 + hb.lease().durationMs());
    }

    void theControllersLeaseWaitsForAQuorumToConfirmItsLeadership()
    {
        Recorder r;
        BrokerHeartbeats hb(1, "inc-1", kIntervalMs, kSessionMs, r.hooks());
        hb.send(imageWith({broker(1, "inc-1")}), leading(1, 30), 2000);
        QVERIFY(r.sent.empty());   // no frame to itself
        QCOMPARE(r.confirmations.size(), size_t(1));
        hb.applied(30);
        QVERIFY2(!hb.lease().held(2001), "its own heartbeat proves nothing: a deposed leader also answers itself");
        hb.leadershipConfirmed(r.confirmations[0], 30);
        QVERIFY(hb.lease().held(2001));
        QCOMPARE(hb.lease().expiresAtMs(), 2000 + hb.lease().durationMs());
    }
};

QTEST_GUILESS_MAIN(BrokerHeartbeatsTest)
#include "BrokerHeartbeatsTest.moc"
