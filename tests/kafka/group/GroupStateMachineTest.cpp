// The classic group protocol state machine, driven with a fake clock: every transition,
// timeouts without waiting, static membership and fencing, MEMBER_ID_REQUIRED.
#include "kafka/group/Group.h"

#include <QTest>

#include <optional>

using namespace skiff::kafka;
using namespace skiff::kafka::group;

namespace {

// One client's view: the last answers its JoinGroup and SyncGroup got.
struct Client {
    std::optional<JoinResult> joined;
    std::optional<SyncResult> synced;
    JoinCallback onJoin()
    {
        joined.reset();
        return [this](JoinResult r) { joined = std::move(r); };
    }
    SyncCallback onSync()
    {
        synced.reset();
        return [this](SyncResult r) { synced = std::move(r); };
    }
};

class Fixture {
public:
    explicit Fixture(int32_t initialDelayMs = 0)
    {
        GroupConfig config;
        config.minSessionTimeoutMs = 1000;
        config.maxSessionTimeoutMs = 60000;
        config.initialRebalanceDelayMs = initialDelayMs;
        group = std::make_unique<Group>("g", config, [this] { return now; },
                                        [this](const std::string &clientId) { return clientId + "-" + std::to_string(++ids); });
    }

    static JoinParams params(const std::string &memberId, std::vector<Protocol> protocols = {{"range", "sub"}},
                             std::optional<std::string> instance = std::nullopt)
    {
        JoinParams p;
        p.memberId = memberId;
        p.groupInstanceId = std::move(instance);
        p.clientId = "c";
        p.sessionTimeoutMs = 10000;
        p.rebalanceTimeoutMs = 30000;
        p.protocolType = "consumer";
        p.protocols = std::move(protocols);
        p.requireKnownMemberId = false;
        return p;
    }

    void join(Client &c, const std::string &memberId, std::vector<Protocol> protocols = {{"range", "sub"}})
    {
        group->join(params(memberId, std::move(protocols)), c.onJoin());
    }
    void sync(Client &c, const std::string &memberId, int32_t generation,
              std::vector<std::pair<std::string, std::string>> assignments = {})
    {
        SyncParams p;
        p.memberId = memberId;
        p.generationId = generation;
        p.assignments = std::move(assignments);
        group->sync(std::move(p), c.onSync());
    }
    // Two dynamic members, A the leader, in a Stable generation 1.
    void stableTwo(Client &a, Client &b)
    {
        join(a, "");
        QVERIFY(a.joined);
        const std::string idA = a.joined->memberId;
        // Still preparing? With no initial delay the first join completes at once.
        QCOMPARE(group->state(), GroupState::CompletingRebalance);
        join(b, "");
        QCOMPARE(group->state(), GroupState::PreparingRebalance);
        const std::string idB = group->members().rbegin()->first;
        Client a2;
        join(a2, idA);
        QVERIFY(a2.joined);
        QVERIFY(b.joined);
        a = a2;
        QCOMPARE(group->state(), GroupState::CompletingRebalance);
        QCOMPARE(a.joined->generationId, 2);
        sync(b, b.joined->memberId, 2);
        sync(a, idA, 2, {{idA, "A"}, {b.joined->memberId, "B"}});
        QCOMPARE(group->state(), GroupState::Stable);
        QVERIFY(b.synced && a.synced);
        QCOMPARE(b.synced->assignment, std::string("B"));
        (void)idB;
    }

    int64_t now = 1000;
    int ids = 0;
    std::unique_ptr<Group> group;
};

} // namespace

class GroupStateMachineTest : public QObject {
    Q_OBJECT
private slots:
    void memberIdRequiredThenJoin()
    {
        Fixture f;
        Client c;
        auto p = Fixture::params("");
        p.requireKnownMemberId = true;
        f.group->join(p, c.onJoin());
        QVERIFY(c.joined);
        QCOMPARE(c.joined->error, ErrorCode::MemberIdRequired);
        const std::string id = c.joined->memberId;
        QVERIFY(!id.empty());
        QCOMPARE(f.group->state(), GroupState::Empty);
        QCOMPARE(f.group->pendingMemberCount(), size_t(1));

        p.memberId = id;
        f.group->join(p, c.onJoin());
        QVERIFY(c.joined);
        QCOMPARE(c.joined->error, ErrorCode::None);
        QCOMPARE(c.joined->memberId, id);
        QCOMPARE(c.joined->leaderId, id);
        QCOMPARE(c.joined->generationId, 1);
        QCOMPARE(c.joined->protocolName, std::optional<std::string>("range"));
        QCOMPARE(c.joined->members.size(), size_t(1));
        QCOMPARE(c.joined->members[0].metadata, std::string("sub"));
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        QCOMPARE(f.group->pendingMemberCount(), size_t(0));
    }

    void unknownMemberIdIsRefused()
    {
        Fixture f;
        Client c;
        f.join(c, "nobody");
        QCOMPARE(c.joined->error, ErrorCode::UnknownMemberId);
    }

    void syncRelaysLeaderAssignmentBytesFaithfully()
    {
        Fixture f;
        Client a, b;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId, idB = b.joined->memberId;
        QCOMPARE(a.joined->leaderId, idA);
        QCOMPARE(a.joined->members.size(), size_t(2));
        QVERIFY(b.joined->members.empty());   // only the leader learns the members
        // A rebalance with binary assignments: the follower waits for the leader.
        Client c, newcomer;
        f.join(newcomer, "");
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        f.join(c, idB);
        f.join(a, idA);
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        const int32_t gen = a.joined->generationId;
        QCOMPARE(gen, 3);
        f.sync(c, idB, gen);
        QVERIFY(!c.synced);
        const std::string bytesB("\0\x01\xff tail", 8), bytesA("\x00", 1);
        f.sync(a, idA, gen, {{idA, bytesA}, {idB, bytesB}});
        QVERIFY(c.synced);
        QCOMPARE(c.synced->error, ErrorCode::None);
        QCOMPARE(c.synced->assignment, bytesB);
        QCOMPARE(a.synced->assignment, bytesA);
        QCOMPARE(c.synced->protocolName, std::optional<std::string>("range"));
        QCOMPARE(f.group->state(), GroupState::Stable);
        QVERIFY(f.group->takePersistRequest());
        QVERIFY(!f.group->takePersistRequest());
        // In Stable, a SyncGroup answers with the member's assignment at once.
        Client again;
        f.sync(again, idB, gen);
        QCOMPARE(again.synced->assignment, bytesB);
    }

    void initialRebalanceDelayWaitsForMoreMembers()
    {
        Fixture f(3000);
        Client a, b;
        f.join(a, "");
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        QVERIFY(!a.joined);
        f.now += 2000;
        f.join(b, "");   // extends the delay by another 3000, bounded by the rebalance timeout
        f.now += 2999;
        f.group->tick();
        QVERIFY(!a.joined && !b.joined);
        f.now += 1;
        f.group->tick();
        QVERIFY(a.joined && b.joined);
        QCOMPARE(a.joined->generationId, 1);
        QCOMPARE(f.group->members().size(), size_t(2));
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
    }

    void heartbeatStates()
    {
        Fixture f;
        Client a, b;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId, idB = b.joined->memberId;
        QCOMPARE(f.group->heartbeat(idA, std::nullopt, 2), ErrorCode::None);
        QCOMPARE(f.group->heartbeat(idA, std::nullopt, 1), ErrorCode::IllegalGeneration);
        QCOMPARE(f.group->heartbeat("x", std::nullopt, 2), ErrorCode::UnknownMemberId);
        Client c;
        f.join(c, "");
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        QCOMPARE(f.group->heartbeat(idB, std::nullopt, 2), ErrorCode::RebalanceInProgress);
        Client s;
        f.sync(s, idB, 2);
        QCOMPARE(s.synced->error, ErrorCode::RebalanceInProgress);
    }

    void rebalanceTimeoutRemovesMembersThatDidNotRejoin()
    {
        Fixture f;
        Client a, b, c;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId, idB = b.joined->memberId;
        f.join(c, "");
        f.join(a, idA);
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        // B keeps heartbeating but never rejoins.
        for (int i = 0; i < 29; ++i) {
            f.now += 1000;
            QCOMPARE(f.group->heartbeat(idB, std::nullopt, 2), ErrorCode::RebalanceInProgress);
            f.group->tick();
        }
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        f.now += 1000;
        f.group->tick();
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        QVERIFY(a.joined && c.joined);
        QCOMPARE(a.joined->generationId, 3);
        QCOMPARE(a.joined->members.size(), size_t(2));
        QVERIFY(!f.group->hasMember(idB));
        QCOMPARE(f.group->heartbeat(idB, std::nullopt, 3), ErrorCode::UnknownMemberId);
    }

    void sessionTimeoutExpiresSilentMember()
    {
        Fixture f;
        Client a, b;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId, idB = b.joined->memberId;
        for (int i = 0; i < 9; ++i) {
            f.now += 1000;
            QCOMPARE(f.group->heartbeat(idA, std::nullopt, 2), ErrorCode::None);
            f.group->tick();
        }
        QCOMPARE(f.group->state(), GroupState::Stable);
        f.now += 1000;   // B's 10 s session is over
        f.group->tick();
        QVERIFY(!f.group->hasMember(idB));
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        QCOMPARE(f.group->heartbeat(idA, std::nullopt, 2), ErrorCode::RebalanceInProgress);
        f.join(a, idA);
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        QCOMPARE(a.joined->generationId, 3);
        QCOMPARE(a.joined->members.size(), size_t(1));
    }

    void memberWaitingInJoinDoesNotExpire()
    {
        Fixture f;
        Client a, b, c;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId;
        f.join(c, "");
        f.join(a, idA);
        f.now += 15000;   // longer than A's session, shorter than the rebalance timeout
        f.group->tick();
        QVERIFY(f.group->hasMember(idA));
    }

    void leaveDuringRebalanceCompletesIt()
    {
        Fixture f;
        Client a, b, c;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId, idB = b.joined->memberId;
        f.join(c, "");
        f.join(a, idA);
        QVERIFY(!a.joined);
        QCOMPARE(f.group->leave(idB, std::nullopt), ErrorCode::None);
        QVERIFY(a.joined && c.joined);
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        QCOMPARE(f.group->members().size(), size_t(2));
        QCOMPARE(f.group->leave(idB, std::nullopt), ErrorCode::UnknownMemberId);
    }

    void leaveOfAWaitingMemberAnswersItsJoin()
    {
        Fixture f;
        Client a, b, c;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId;
        f.join(c, "");
        f.join(a, idA);
        QCOMPARE(f.group->leave(idA, std::nullopt), ErrorCode::None);
        QVERIFY(a.joined);
        QCOMPARE(a.joined->error, ErrorCode::UnknownMemberId);
    }

    void lastMemberLeavingEmptiesTheGroup()
    {
        Fixture f;
        Client a, b;
        f.stableTwo(a, b);
        (void)f.group->takePersistRequest();
        QCOMPARE(f.group->leave(a.joined->memberId, std::nullopt), ErrorCode::None);
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        QCOMPARE(f.group->leave(b.joined->memberId, std::nullopt), ErrorCode::None);
        QCOMPARE(f.group->state(), GroupState::Empty);
        QCOMPARE(f.group->generationId(), 3);
        QVERIFY(f.group->takePersistRequest());
        QCOMPARE(f.group->snapshot(0).members.size(), size_t(0));
    }

    void syncTimeoutRemovesSilentMembersAndRebalances()
    {
        Fixture f;
        Client a, b;
        f.join(a, "");
        const std::string idA = a.joined->memberId;
        f.join(b, "");
        f.join(a, idA);
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        const std::string idB = b.joined->memberId;
        const std::string leader = a.joined->leaderId;
        const std::string follower = leader == idA ? idB : idA;
        Client s;
        f.sync(s, follower, 2);
        f.now += 30000;
        f.group->tick();
        QVERIFY(!f.group->hasMember(leader));
        QVERIFY(s.synced);
        QCOMPARE(s.synced->error, ErrorCode::RebalanceInProgress);
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
    }

    void protocolSelectionAndConsistency()
    {
        Fixture f;
        Client a, b, c, d;
        f.join(a, "", {{"range", "a1"}, {"roundrobin", "a2"}});
        const std::string idA = a.joined->memberId;
        f.join(b, "", {{"roundrobin", "b2"}, {"range", "b1"}});
        f.join(c, "", {{"roundrobin", "c2"}});
        f.join(a, idA, {{"range", "a1"}, {"roundrobin", "a2"}});
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        QCOMPARE(f.group->protocolName(), std::optional<std::string>("roundrobin"));
        // The leader sees each member's metadata of the chosen protocol.
        const JoinResult &leader = a.joined->leaderId == idA ? *a.joined : (b.joined->members.empty() ? *c.joined : *b.joined);
        for (const auto &m : leader.members)
            QVERIFY(m.metadata.back() == '2');
        f.join(d, "", {{"sticky", "d"}});
        QCOMPARE(d.joined->error, ErrorCode::InconsistentGroupProtocol);
        auto p = Fixture::params("");
        p.protocolType = "connect";
        f.group->join(p, d.onJoin());
        QCOMPARE(d.joined->error, ErrorCode::InconsistentGroupProtocol);
        p = Fixture::params("");
        p.sessionTimeoutMs = 10;
        f.group->join(p, d.onJoin());
        QCOMPARE(d.joined->error, ErrorCode::InvalidSessionTimeout);
        Client s;
        SyncParams sp;
        sp.memberId = idA;
        sp.generationId = f.group->generationId();
        sp.protocolName = "range";
        f.group->sync(sp, s.onSync());
        QCOMPARE(s.synced->error, ErrorCode::InconsistentGroupProtocol);
        f.sync(s, idA, 99);
        QCOMPARE(s.synced->error, ErrorCode::IllegalGeneration);
    }

    void leaderRejoinInStableTriggersRebalance()
    {
        Fixture f;
        Client a, b;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId, idB = b.joined->memberId;
        Client b2;
        f.join(b2, idB);   // follower, same protocols: current generation, no rebalance
        QCOMPARE(b2.joined->error, ErrorCode::None);
        QCOMPARE(b2.joined->generationId, 2);
        QCOMPARE(f.group->state(), GroupState::Stable);
        f.join(a, idA);
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
    }

    void staticMemberReplacementFencesTheOldInstance()
    {
        Fixture f;
        Client a, b;
        auto pa = Fixture::params("", {{"range", "a"}}, std::string("inst-a"));
        pa.requireKnownMemberId = true;   // static members never get MEMBER_ID_REQUIRED
        f.group->join(pa, a.onJoin());
        QCOMPARE(a.joined->error, ErrorCode::None);
        const std::string oldId = a.joined->memberId;
        Client s;
        f.sync(s, oldId, 1, {{oldId, "assigned"}});
        QCOMPARE(f.group->state(), GroupState::Stable);
        (void)f.group->takePersistRequest();

        // The instance restarts: a new member id, no rebalance, its assignment kept.
        f.group->join(pa, b.onJoin());
        QCOMPARE(b.joined->error, ErrorCode::None);
        const std::string newId = b.joined->memberId;
        QVERIFY(newId != oldId);
        QCOMPARE(b.joined->generationId, 1);
        QCOMPARE(b.joined->leaderId, oldId);   // so that it does not compute a new assignment
        QCOMPARE(f.group->state(), GroupState::Stable);
        QCOMPARE(f.group->leaderId(), newId);
        QVERIFY(f.group->takePersistRequest());
        Client s2;
        SyncParams sp;
        sp.memberId = newId;
        sp.groupInstanceId = "inst-a";
        sp.generationId = 1;
        f.group->sync(sp, s2.onSync());
        QCOMPARE(s2.synced->assignment, std::string("assigned"));

        // The old process is fenced everywhere.
        QCOMPARE(f.group->heartbeat(oldId, std::string("inst-a"), 1), ErrorCode::FencedInstanceId);
        auto stale = pa;
        stale.memberId = oldId;
        Client c;
        f.group->join(stale, c.onJoin());
        QCOMPARE(c.joined->error, ErrorCode::FencedInstanceId);
        QCOMPARE(f.group->acceptOffsetCommit(oldId, std::string("inst-a"), 1), ErrorCode::FencedInstanceId);
        QCOMPARE(f.group->leave(oldId, std::string("inst-a")), ErrorCode::FencedInstanceId);
        QCOMPARE(f.group->heartbeat(newId, std::string("inst-a"), 1), ErrorCode::None);
        // Leaving by instance id alone (LeaveGroup v3+) removes it.
        QCOMPARE(f.group->leave("", std::string("inst-a")), ErrorCode::None);
        QCOMPARE(f.group->state(), GroupState::Empty);
    }

    void staticReplacementAnswersTheOldWaitingJoin()
    {
        Fixture f;
        Client a, b, c, replacement;
        auto pa = Fixture::params("", {{"range", "a"}}, std::string("inst-a"));
        f.group->join(pa, a.onJoin());
        const std::string oldId = a.joined->memberId;
        f.join(b, "");
        f.join(a, oldId);   // generation 2: A (static) and B
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        f.join(c, "");      // a rebalance that B has not rejoined yet
        auto rejoin = pa;
        rejoin.memberId = oldId;
        f.group->join(rejoin, a.onJoin());
        QVERIFY(!a.joined);
        f.group->join(pa, replacement.onJoin());
        QVERIFY(a.joined);
        QCOMPARE(a.joined->error, ErrorCode::FencedInstanceId);
        QVERIFY(!replacement.joined);   // waits for B like everyone else
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
    }

    void staticReplacementDuringRebalanceJoinsIt()
    {
        Fixture f;
        Client a, b, x;
        auto pa = Fixture::params("", {{"range", "a"}}, std::string("inst-a"));
        f.group->join(pa, a.onJoin());
        const std::string idA = a.joined->memberId;
        f.join(b, "");
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);
        f.group->join(pa, x.onJoin());
        QVERIFY(x.joined);   // everyone joined: the rebalance completed
        QCOMPARE(x.joined->error, ErrorCode::None);
        QVERIFY(x.joined->memberId != idA);
        QVERIFY(!f.group->hasMember(idA));
        QCOMPARE(f.group->members().size(), size_t(2));
    }

    void pendingMemberExpiresAndUnblocksTheRebalance()
    {
        Fixture f;
        Client a, b, p;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId, idB = b.joined->memberId;
        auto params = Fixture::params("");
        params.requireKnownMemberId = true;
        f.group->join(params, p.onJoin());
        QCOMPARE(p.joined->error, ErrorCode::MemberIdRequired);
        Client c1;
        f.join(c1, "");   // a dynamic v3 member starts the rebalance
        f.join(a, idA);
        f.join(b, idB);
        QCOMPARE(f.group->state(), GroupState::PreparingRebalance);   // waiting for the pending member
        f.now += 10000;
        f.group->tick();
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        QCOMPARE(f.group->members().size(), size_t(3));
    }

    void offsetCommitValidation()
    {
        Fixture f;
        QCOMPARE(f.group->acceptOffsetCommit("", std::nullopt, -1), ErrorCode::None);   // simple consumer
        Client a, b;
        f.stableTwo(a, b);
        const std::string idA = a.joined->memberId;
        QCOMPARE(f.group->acceptOffsetCommit(idA, std::nullopt, 2), ErrorCode::None);
        QCOMPARE(f.group->acceptOffsetCommit(idA, std::nullopt, 1), ErrorCode::IllegalGeneration);
        QCOMPARE(f.group->acceptOffsetCommit("", std::nullopt, -1), ErrorCode::UnknownMemberId);
        Client c;
        f.join(c, "");
        // PreparingRebalance: the old generation may still commit (consumers do, on revocation).
        QCOMPARE(f.group->acceptOffsetCommit(idA, std::nullopt, 2), ErrorCode::None);
        const std::string idB = b.joined->memberId;
        f.join(a, idA);
        f.join(b, idB);
        QCOMPARE(f.group->state(), GroupState::CompletingRebalance);
        QCOMPARE(f.group->acceptOffsetCommit(idA, std::nullopt, 3), ErrorCode::RebalanceInProgress);
    }

    void restoreFromSnapshot()
    {
        Fixture f;
        Client a, b;
        f.stableTwo(a, b);
        const GroupSnapshot snap = f.group->snapshot(12345);
        QCOMPARE(snap.generationId, 2);
        QCOMPARE(snap.members.size(), size_t(2));
        QCOMPARE(snap.stateTimestampMs, int64_t(12345));
        auto restored = Group::restore(snap, GroupConfig{1000, 60000, 0}, [&f] { return f.now; });
        QCOMPARE(restored->state(), GroupState::Stable);
        QCOMPARE(restored->generationId(), 2);
        QCOMPARE(restored->leaderId(), f.group->leaderId());
        QCOMPARE(restored->protocolName(), std::optional<std::string>("range"));
        QCOMPARE(restored->heartbeat(b.joined->memberId, std::nullopt, 2), ErrorCode::None);
        Client s;
        SyncParams sp;
        sp.memberId = b.joined->memberId;
        sp.generationId = 2;
        restored->sync(sp, s.onSync());
        QCOMPARE(s.synced->assignment, std::string("B"));
        QCOMPARE(restored->snapshot(12345), snap);
        // Members that never come back expire like any other.
        f.now += 11000;
        restored->tick();
        QCOMPARE(restored->state(), GroupState::Empty);
    }

    void deadGroupRefusesEverything()
    {
        Fixture f;
        Client a, b;
        f.stableTwo(a, b);
        Client c;
        const std::string idA = a.joined->memberId;
        f.join(c, idA);
        f.group->markDead(ErrorCode::NotCoordinator);
        QCOMPARE(c.joined->error, ErrorCode::NotCoordinator);
        QCOMPARE(f.group->state(), GroupState::Dead);
        QCOMPARE(f.group->heartbeat(idA, std::nullopt, 2), ErrorCode::CoordinatorNotAvailable);
    }

    void subscribedTopicsFromConsumerProtocol()
    {
        Fixture f;
        // ConsumerProtocolSubscription v0: version 0, topics ["t1", "t2"], null user data.
        const std::string sub("\x00\x00" "\x00\x00\x00\x02" "\x00\x02t1" "\x00\x02t2" "\xff\xff\xff\xff", 18);
        Client a;
        f.join(a, "", {{"range", sub}});
        QCOMPARE(f.group->subscribedTopics(), (std::set<std::string>{"t1", "t2"}));
    }
};

QTEST_APPLESS_MAIN(GroupStateMachineTest)
#include "GroupStateMachineTest.moc"
