// Kafka's DescribeQuorum from Skiff's Raft, without sockets or a Raft node: the leader's record
// of when each follower answered and was last caught up (KIP-836's rule, times given), the
// quorum description built from a published status, its trip over the peer wire, and the
// forwarded requests a follower waits to answer.
#include "cluster/QuorumRequests.h"
#include "cluster/QuorumView.h"
#include "cluster/ReplicaFetchTimes.h"

#include <QCoreApplication>
#include <QTest>

using namespace skiff;
using namespace skiff::cluster;

namespace {

// A leader's status: node 1 leads term 7 with last index 20, commit 18; node 2 has 20, node 3 has
// 12; node 4 is a learner never heard from this leadership.
ClusterStatus leaderStatus()
{
    ClusterStatus s;
    s.nodeId = 1;
    s.role = raft::Role::Leader;
    s.leaderId = 1;
    s.term = 7;
    s.commit = 18;
    s.lastIndex = 20;
    s.voters = {3, 1, 2};
    s.learners = {4};
    s.progress = {{1, 20, 21}, {2, 20, 21}, {3, 12, 13}, {4, 0, 21}};
    s.replicaTimes[2] = {1000, 1000};
    s.replicaTimes[3] = {1500, 400};
    return s;
}

// Answers are posted to the receiver's thread: runs what is queued on this one.
void deliver() { QCoreApplication::sendPostedEvents(); }

} // namespace

class QuorumViewTest : public QObject {
    Q_OBJECT
private slots:
    void aFollowerAtTheLeadersEndIsCaughtUpAtThatAnswer()
    {
        ReplicaFetchTimes t;
        QVERIFY(t.times().empty());
        t.onAnswer(2, 10, 10, 1000);
        QCOMPARE(t.times().at(2), (ReplicaTimes{1000, 1000}));
        t.onAnswer(2, 10, 10, 1100);   // a heartbeat answer while nothing new was appended
        QCOMPARE(t.times().at(2), (ReplicaTimes{1100, 1100}));
    }

    void aFollowerOneRoundBehindWasCaughtUpAtItsPreviousAnswer()
    {
        // The leader keeps appending: the follower never has the end at the moment it answers,
        // but each answer reaches what the leader had at the previous one.
        ReplicaFetchTimes t;
        t.onAnswer(2, 5, 10, 1000);          // behind, nothing known before: not caught up
        QCOMPARE(t.times().at(2), (ReplicaTimes{1000, -1}));
        t.onAnswer(2, 10, 15, 1100);         // reached 10, the end at the answer of 1000
        QCOMPARE(t.times().at(2), (ReplicaTimes{1100, 1000}));
        t.onAnswer(2, 15, 20, 1200);
        QCOMPARE(t.times().at(2), (ReplicaTimes{1200, 1100}));
    }

    void aFollowerThatFallsBehindKeepsItsLastCaughtUpTime()
    {
        ReplicaFetchTimes t;
        t.onAnswer(3, 10, 10, 1000);
        t.onAnswer(3, 10, 30, 1100);         // the leader appended 20 entries it has not taken
        t.onAnswer(3, 12, 50, 1200);
        t.onAnswer(3, 12, 80, 1300);
        QCOMPARE(t.times().at(3), (ReplicaTimes{1300, 1000}));
    }

    void timesNeverGoBackwardsAndANewLeadershipForgetsThem()
    {
        ReplicaFetchTimes t;
        t.onAnswer(2, 10, 10, 2000);
        t.onAnswer(2, 10, 10, 1500);         // the wall clock was set back
        QCOMPARE(t.times().at(2), (ReplicaTimes{2000, 2000}));
        t.clear();
        QVERIFY(t.times().empty());
    }

    void theLeadersStatusDescribesTheQuorum()
    {
        const auto d = describeQuorum(leaderStatus(), 5000);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        QCOMPARE(d->leaderId, uint64_t(1));
        QCOMPARE(d->term, uint64_t(7));
        QCOMPARE(d->highWatermark, uint64_t(18));   // Kafka's high watermark is the commit index
        QCOMPARE(d->voters.size(), size_t(3));
        // In id order; the leader is at its own end and caught up now, as Kafka reports it.
        QCOMPARE(d->voters[0], (metadata::QuorumReplica{1, 20, 5000, 5000}));
        QCOMPARE(d->voters[1], (metadata::QuorumReplica{2, 20, 1000, 1000}));
        QCOMPARE(d->voters[2], (metadata::QuorumReplica{3, 12, 1500, 400}));
        // A learner is an observer; not heard from this leadership, its end is unknown.
        QCOMPARE(d->observers.size(), size_t(1));
        QCOMPARE(d->observers[0], (metadata::QuorumReplica{4, -1, -1, -1}));
    }

    void aFollowersStatusNamesTheLeaderItKnows()
    {
        ClusterStatus s;
        s.nodeId = 2;
        s.role = raft::Role::Follower;
        s.leaderId = 1;
        s.term = 7;
        const auto d = describeQuorum(s, 5000);
        QCOMPARE(d.status().code(), StatusCode::Unavailable);
        QVERIFY2(d.status().message().find("node 1 does (term 7)") != std::string::npos, d.status().message().c_str());
        s.leaderId = 0;
        QVERIFY(describeQuorum(s, 5000).status().message().find("no metadata leader is known") != std::string::npos);
    }

    void theDescriptionCrossesThePeerWireUnchanged()
    {
        const auto d = describeQuorum(leaderStatus(), 5000);
        QuorumReply wire;
        QVERIFY(wire.ParseFromString(toQuorumReply(42, d).SerializeAsString()));
        QCOMPARE(wire.request_id(), uint64_t(42));
        const auto back = fromQuorumReply(wire);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == *d);
        // A refusal comes back as Unavailable with the leader's words.
        const auto refused = fromQuorumReply(toQuorumReply(43, unavailable("node 3 does not lead")));
        QCOMPARE(refused.status().code(), StatusCode::Unavailable);
        QCOMPARE(refused.status().message(), std::string("node 3 does not lead"));
    }

    void aForwardedRequestIsAnsweredOnceByReplyOrDeadline()
    {
        QuorumRequests requests;
        int answers = 0;
        Status last;
        const auto record = [&](Result<metadata::QuorumDescription> r) {
            ++answers;
            last = r.status();
        };
        const uint64_t a = requests.add(this, record, 100);
        const uint64_t b = requests.add(this, record, 200);
        QVERIFY(a != b);
        requests.complete(a, describeQuorum(leaderStatus(), 5000));
        deliver();
        QCOMPARE(answers, 1);
        QVERIFY(last.isOk());
        requests.complete(a, describeQuorum(leaderStatus(), 5000));   // a second reply: dropped
        requests.expire(150);
        deliver();
        QCOMPARE(answers, 1);
        requests.expire(200);
        deliver();
        QCOMPARE(answers, 2);
        QCOMPARE(last.code(), StatusCode::Unavailable);
        QCOMPARE(requests.pending(), size_t(0));
        requests.complete(b, describeQuorum(leaderStatus(), 5000));   // after its deadline: dropped
        deliver();
        QCOMPARE(answers, 2);
    }

    void aRequestWhoseReceiverIsGoneIsDropped()
    {
        QuorumRequests requests;
        int answers = 0;
        auto receiver = std::make_unique<QObject>();
        requests.add(receiver.get(), [&](Result<metadata::QuorumDescription>) { ++answers; }, 100);
        receiver.reset();
        requests.failAll(unavailable("shutting down"));
        deliver();
        QCOMPARE(answers, 0);
        QCOMPARE(requests.pending(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(QuorumViewTest)
#include "QuorumViewTest.moc"
