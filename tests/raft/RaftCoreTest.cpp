// Feature 1: election, replication, flow control, storage, Ready/advance, entry dispatch.
#include "TestCluster.h"

#include "raft/EntryDispatch.h"
#include "raft/Limits.h"
#include "raft/Progress.h"
#include "raft/MemoryStorage.h"
#include "raft/RawNode.h"

#include <QTest>

using namespace skiff;
using namespace skiff::raft;
using namespace skiff::raft::test;

namespace {
int countType(const std::vector<Message> &msgs, MessageType t, uint64_t to = 0)
{
    int n = 0;
    for (auto &m : msgs)
        n += (m.type() == t && (to == 0 || m.to() == to)) ? 1 : 0;
    return n;
}
} // namespace

class RaftCoreTest : public QObject {
    Q_OBJECT
private slots:
    void configValidation()
    {
        MemoryStorage st;
        Config c;
        c.storage = &st;
        QCOMPARE(c.validate().code(), StatusCode::InvalidArgument);  // id 0
        c.id = 1;
        QVERIFY(c.validate().isOk());
        c.electionTick = 1;
        QVERIFY(!c.validate().isOk());
        c.electionTick = 10;
        c.checkQuorum = false;
        c.readOnlyOption = ReadOnlyOption::LeaseBased;
        QVERIFY(c.validate().message().find("checkQuorum") != std::string::npos);
    }

    void singleNodeElectsItselfAndCommits()
    {
        TestCluster c({1});
        QCOMPARE(c.waitForLeader(), uint64_t(1));
        QVERIFY(c.node(1).propose("a").isOk());
        c.stabilize();
        auto &applied = c.testNode(1).applied;
        QCOMPARE(applied.size(), size_t(2));
        QCOMPARE(applied[0].type(), ENTRY_NOOP);  // a new leader's first entry is a NOOP
        QCOMPARE(applied[1].data(), std::string("a"));
    }

    void threeNodeElectionAgreesOnLeader()
    {
        TestCluster c({1, 2, 3});
        const uint64_t l = c.waitForLeader();
        QVERIFY(l != 0);
        for (uint64_t id : c.ids()) {
            auto s = c.node(id).status();
            QCOMPARE(s.leader, l);
            QCOMPARE(s.term, uint64_t(1));  // pre-vote did not burn terms
        }
    }

    void proposeWithoutLeaderFails()
    {
        TestCluster c({1, 2, 3});
        Status s = c.node(2).propose("x");
        QCOMPARE(s.code(), StatusCode::Unavailable);
        QVERIFY(s.message().find("no leader") != std::string::npos);
    }

    void replicationCommitsOnAllNodes()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        for (int i = 0; i < 20; ++i)
            QVERIFY(c.node(1).propose("v" + std::to_string(i)).isOk());
        c.stabilize();
        for (uint64_t id : c.ids()) {
            auto data = normalData(c.testNode(id).applied);
            QCOMPARE(data.size(), size_t(20));
            QCOMPARE(data.back(), std::string("v19"));
            QCOMPARE(c.node(id).status().commit, uint64_t(21));
        }
    }

    void leaderNeedsQuorumToCommit()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(2);
        c.isolate(3);
        QVERIFY(c.node(1).propose("lonely").isOk());
        c.stabilize();
        QCOMPARE(c.node(1).status().commit, uint64_t(1));
        c.heal();
        c.tick(1, 1);  // heartbeat -> responses -> catch up
        c.stabilize();
        QCOMPARE(c.node(1).status().commit, uint64_t(2));
    }

    void readySplitsMessagesByDurability()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).propose("p").isOk());
        Ready lr = c.node(1).ready();
        // The leader may send appends before its own write is durable.
        QCOMPARE(countType(lr.messages, MSG_APP), 2);
        QCOMPARE(countType(lr.persistedMessages, MSG_APP), 0);
        QCOMPARE(lr.entries.size(), size_t(1));
        QVERIFY(lr.mustSync);
        (void)c.storage(1).append(lr.entries);
        Message app;
        for (auto &m : lr.messages)
            if (m.to() == 2)
                app = m;
        c.node(1).advance(lr);
        QVERIFY(c.node(2).step(app).isOk());
        Ready fr = c.node(2).ready();
        // An append ack vouches for durable entries: only after persisting.
        QCOMPARE(countType(fr.persistedMessages, MSG_APP_RESP), 1);
        QCOMPARE(countType(fr.messages, MSG_APP_RESP), 0);
        QCOMPARE(fr.entries.size(), size_t(1));
    }

    void candidateVoteRequestsWaitForPersistence()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.preVote = false; });
        QVERIFY(c.node(1).campaign().isOk());
        Ready rd = c.node(1).ready();
        QVERIFY(rd.hardState.has_value());
        QCOMPARE(rd.hardState->vote(), uint64_t(1));
        QVERIFY(rd.mustSync);
        QCOMPARE(countType(rd.persistedMessages, MSG_VOTE), 2);
        QCOMPARE(countType(rd.messages, MSG_VOTE), 0);
        c.node(1).advance(rd);
    }

    void voteResponseWaitsForPersistence()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.preVote = false; });
        QVERIFY(c.node(1).campaign().isOk());
        Ready rd = c.node(1).ready();
        c.node(1).advance(rd);
        QVERIFY(c.node(2).step(rd.persistedMessages.at(0)).isOk());
        Ready fr = c.node(2).ready();
        QCOMPARE(countType(fr.persistedMessages, MSG_VOTE_RESP), 1);
        QCOMPARE(countType(fr.messages, MSG_VOTE_RESP), 0);
        QVERIFY(fr.hardState.has_value() && fr.hardState->vote() == 1 && fr.mustSync);
        c.node(2).advance(fr);
    }

    void unreachablePeerFallsBackToProbe()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.stabilize();
        QCOMPARE(c.node(1).status().progress[1].state, ProgressState::Replicate);
        c.node(1).reportUnreachable(2);
        QCOMPARE(c.node(1).status().progress[1].state, ProgressState::Probe);
        QVERIFY(c.node(1).propose("next").isOk());  // the next append is a probe; its ack resumes pipelining
        c.stabilize();
        QCOMPARE(c.node(1).status().progress[1].state, ProgressState::Replicate);
    }

    void preVoteDoesNotChangeTerm()
    {
        TestCluster c({1, 2, 3});
        c.isolate(1);
        QVERIFY(c.node(1).campaign().isOk());
        c.stabilize();
        auto s = c.node(1).status();
        QCOMPARE(s.role, Role::PreCandidate);
        QCOMPARE(s.term, uint64_t(0));
        QCOMPARE(s.vote, uint64_t(0));
    }

    void higherTermMakesLeaderStepDown()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.preVote = false; cfg.checkQuorum = false; });
        QVERIFY(c.elect(1));
        QVERIFY(c.elect(2));
        QCOMPARE(c.node(1).status().role, Role::Follower);
        QCOMPARE(c.node(1).status().term, uint64_t(2));
        QCOMPARE(c.node(1).status().leader, uint64_t(2));
    }

    void randomizedElectionTimeoutsDiffer()
    {
        // Followers with the same seed but different ids must not all time out on the same tick.
        TestCluster c({1, 2, 3, 4, 5});
        std::set<int> firstCampaignTick;
        for (uint64_t id : c.ids()) {
            for (int t = 1; t <= 40; ++t) {
                c.tick(id);
                if (c.node(id).status().role != Role::Follower) {
                    firstCampaignTick.insert(t);
                    break;
                }
            }
        }
        QVERIFY(firstCampaignTick.size() >= 2);
        for (int t : firstCampaignTick)
            QVERIFY(t >= 10 && t < 20);
    }

    void heartbeatsKeepFollowersFromCampaigning()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        for (int i = 0; i < 100; ++i) {
            c.tickAll();
            c.stabilize();
        }
        QCOMPARE(c.leader(), uint64_t(1));
        QCOMPARE(c.node(2).status().term, c.node(1).status().term);
    }

    void flowControlLimitsInflight()
    {
        TestCluster c({1, 2}, [](Config &cfg) { cfg.maxInflightMsgs = 3; });
        QVERIFY(c.elect(1));
        c.stabilize();
        QCOMPARE(c.node(1).status().progress[1].state, ProgressState::Replicate);
        c.cut(1, 2);  // appends are lost, so nothing is acknowledged
        c.recordSent = true;
        c.filter = [](const Message &) { return true; };
        for (int i = 0; i < 10; ++i) {
            QVERIFY(c.node(1).propose("x").isOk());
            c.handleReadies();
            c.deliverQueued();
        }
        // Only maxInflightMsgs appends were sent; the rest wait for acks.
        auto s = c.node(1).status();
        QCOMPARE(s.progress[1].inflight, size_t(3));
        QCOMPARE(s.progress[1].next, uint64_t(2 + 3));  // noop at 1, entries 2..4 in flight
        c.heal();
        c.tick(1);
        c.stabilize();
        QCOMPARE(c.node(2).status().commit, uint64_t(11));
    }

    void maxSizePerMsgSplitsAppends()
    {
        TestCluster c({1, 2}, [](Config &cfg) { cfg.maxSizePerMsg = 2000; });
        QVERIFY(c.elect(1));
        c.isolate(2);
        for (int i = 0; i < 10; ++i)
            QVERIFY(c.node(1).propose(std::string(1000, 'a' + i)).isOk());
        c.stabilize();
        c.heal();
        c.recordSent = true;
        c.tick(1);
        c.stabilize();
        int apps = 0;
        for (auto &m : c.sent) {
            if (m.type() == MSG_APP && m.entries_size() > 0) {
                ++apps;
                QVERIFY(m.entries_size() <= 2);
            }
        }
        QVERIFY(apps >= 5);
        QCOMPARE(normalData(c.testNode(2).applied).size(), size_t(10));
    }

    void followerConflictIsRepairedByProbing()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.preVote = false; cfg.checkQuorum = false; });
        QVERIFY(c.elect(1));
        c.isolate(1);
        for (int i = 0; i < 5; ++i)
            QVERIFY(c.node(1).propose("stale").isOk());  // never committed
        c.stabilize();
        QVERIFY(c.elect(2));
        QVERIFY(c.node(2).propose("fresh").isOk());
        c.stabilize();
        c.heal();
        c.tickAll();
        c.stabilize();
        c.tick(2);
        c.stabilize();
        for (uint64_t id : c.ids()) {
            auto data = normalData(c.testNode(id).applied);
            QCOMPARE(data, std::vector<std::string>{"fresh"});
            QCOMPARE(c.node(id).status().lastIndex, c.node(2).status().lastIndex);
        }
    }

    void memoryStorageCompactAndErrors()
    {
        MemoryStorage st;
        std::vector<Entry> ents;
        for (uint64_t i = 1; i <= 5; ++i) {
            Entry e;
            e.set_index(i);
            e.set_term(i < 3 ? 1 : 2);
            ents.push_back(e);
        }
        QVERIFY(st.append(ents).isOk());
        QCOMPARE(st.lastIndex().value(), uint64_t(5));
        QCOMPARE(st.term(4).value(), uint64_t(2));
        QVERIFY(st.compact(3).isOk());
        QCOMPARE(st.firstIndex().value(), uint64_t(4));
        QCOMPARE(st.term(3).value(), uint64_t(2));  // the dummy keeps the compaction point's term
        QCOMPARE(st.term(2).status().code(), StatusCode::OutOfRange);
        QCOMPARE(st.entries(2, 5, 100).status().code(), StatusCode::OutOfRange);
        QCOMPARE(st.entries(4, 6, UINT64_MAX).value().size(), size_t(2));
        QCOMPARE(st.entries(4, 6, 1).value().size(), size_t(1));  // at least one entry
        QCOMPARE(st.term(9).status().code(), StatusCode::NotFound);
        // Appending over a suffix truncates it.
        Entry e;
        e.set_index(5);
        e.set_term(3);
        QVERIFY(st.append({e}).isOk());
        QCOMPARE(st.lastIndex().value(), uint64_t(5));
        QCOMPARE(st.term(5).value(), uint64_t(3));
        auto snap = st.createSnapshot(5, nullptr, "img");
        QVERIFY(snap.isOk());
        QCOMPARE(snap->metadata().term(), uint64_t(3));
        QVERIFY(!st.createSnapshot(4, nullptr, "old").isOk());
    }

    void restartKeepsPersistedState()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).propose("durable").isOk());
        c.stabilize();
        const auto before = c.node(2).status();
        c.restartNode(2);
        auto after = c.node(2).status();
        QCOMPARE(after.term, before.term);
        QCOMPARE(after.commit, before.commit);
        QCOMPARE(after.lastIndex, before.lastIndex);
        QCOMPARE(after.role, Role::Follower);
        c.stabilize();
        // Re-applies from the log since config.applied was 0.
        QCOMPARE(normalData(c.testNode(2).applied), std::vector<std::string>{"durable"});
    }

    void statusReportsProgress()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).propose("s").isOk());
        c.stabilize();
        c.tickAll(3);
        c.stabilize();
        auto s = c.node(1).status();
        QCOMPARE(s.role, Role::Leader);
        QCOMPARE(s.progress.size(), size_t(3));
        for (auto &p : s.progress) {
            QCOMPARE(p.match, uint64_t(2));
            QCOMPARE(p.next, uint64_t(3));
            QCOMPARE(p.state, ProgressState::Replicate);
            if (p.id != 1)
                QVERIFY(p.ticksSinceContact <= 1);
        }
        QCOMPARE(c.node(2).status().progress.size(), size_t(0));
    }

    void uncommittedSizeLimitRefusesProposals()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.maxUncommittedEntriesSize = 1000; });
        QVERIFY(c.elect(1));
        c.isolate(1);
        QVERIFY(c.node(1).propose(std::string(600, 'a')).isOk());
        QVERIFY(c.node(1).propose(std::string(300, 'b')).isOk());
        Status s = c.node(1).propose(std::string(200, 'c'));
        QCOMPARE(s.code(), StatusCode::Unavailable);
        QVERIFY(s.message().find("uncommitted") != std::string::npos);
        c.heal();
        c.tick(1);
        c.stabilize();  // commits free the budget
        QVERIFY(c.node(1).propose(std::string(200, 'c')).isOk());
    }

    void secondReadyBeforeAdvanceIsEmpty()
    {
        TestCluster c({1});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).propose("x").isOk());
        Ready a = c.node(1).ready();
        QCOMPARE(a.entries.size(), size_t(1));
        QVERIFY(!c.node(1).hasReady());
        Ready b = c.node(1).ready();
        QVERIFY(b.entries.empty() && b.committedEntries.empty() && b.messages.empty());
        (void)c.storage(1).append(a.entries);
        c.node(1).advance(a);
        QVERIFY(c.node(1).hasReady());  // the entry is now committed
        QCOMPARE(c.node(1).ready().committedEntries.size(), size_t(1));
    }

    void progressProbeAndReplicateRules()
    {
        Progress p(5, 2, false);
        QCOMPARE(p.state(), ProgressState::Probe);
        QVERIFY(!p.maybeDecrTo(9, 3));  // stale: not our last probe (next-1 = 4)
        QVERIFY(p.maybeDecrTo(4, 1));
        QCOMPARE(p.next(), uint64_t(2));  // min(rejected, hint+1)
        QVERIFY(p.maybeUpdate(3));
        p.becomeReplicate();
        QCOMPARE(p.next(), uint64_t(4));
        p.inflights().add(5);
        p.optimisticUpdate(5);
        p.inflights().add(7);
        QVERIFY(p.isPaused());  // 2 in flight = maxInflight
        p.inflights().freeLE(5);
        QVERIFY(!p.isPaused());
        QVERIFY(!p.maybeDecrTo(2, 0));  // rejection of an index already matched: stale
        QVERIFY(p.maybeDecrTo(6, 3));
        QCOMPARE(p.next(), uint64_t(4));  // back to match+1
        p.becomeSnapshot(20);
        QVERIFY(p.isPaused());
        p.becomeProbe();
        QCOMPARE(p.next(), uint64_t(21));  // resume after the snapshot
    }

    // What a faulty peer sends is refused with a Corruption status, and the node goes on: found
    // by fuzz_peer_messages (an append whose entries skip indexes sliced the batch out of range;
    // a heartbeat committing beyond the log tripped an invariant).
    void malformedAppendsAndHeartbeatsAreRefused()
    {
        TestCluster c({1, 2});
        RawNode &follower = c.node(1);
        const auto append = [](std::vector<std::pair<uint64_t, uint64_t>> entries, uint64_t term = 1) {
            Message m;
            m.set_type(MSG_APP);
            m.set_from(2);
            m.set_to(1);
            m.set_term(term);
            m.set_index(0);
            m.set_log_term(0);
            for (auto [index, entryTerm] : entries) {
                Entry *e = m.add_entries();
                e->set_index(index);
                e->set_term(entryTerm);
                e->set_type(ENTRY_NORMAL);
            }
            return m;
        };
        Status s = follower.step(append({{1, 1}, {5, 1}}));
        QCOMPARE(s.code(), StatusCode::Corruption);
        QVERIFY2(s.message().find("entry 1 has index 5, expected 2") != std::string::npos, s.message().c_str());
        s = follower.step(append({{1, 1}, {2, 3}}, 2));   // a term above the sender's
        QCOMPARE(s.code(), StatusCode::Corruption);
        QVERIFY2(s.message().find("has term 3, outside 1..2") != std::string::npos, s.message().c_str());
        QCOMPARE(follower.step(append({{1, 2}, {2, 1}}, 2)).code(), StatusCode::Corruption);   // falling terms

        Message heartbeat;
        heartbeat.set_type(MSG_HEARTBEAT);
        heartbeat.set_from(2);
        heartbeat.set_to(1);
        heartbeat.set_term(2);
        heartbeat.set_commit(10);   // nothing of it is in this node's log
        QCOMPARE(follower.step(heartbeat).code(), StatusCode::Corruption);

        // A well-formed append is still taken.
        QVERIFY(follower.step(append({{1, 1}, {2, 2}}, 2)).isOk());
        QVERIFY(follower.hasReady());
        const Ready rd = follower.ready();
        QCOMPARE(rd.entries.size(), size_t(2));
        QCOMPARE(rd.entries.back().index(), uint64_t(2));
    }

    // A term or index near 2^64 wraps when the core adds one (a pre-vote's term + 1 became 0 and
    // every node aborted, again at each restart as the term was persisted): refused on entry.
    void termsAndIndexesBeyondTheLimitAreRefused()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        const uint64_t termBefore = c.node(2).status().term;
        const auto heartbeat = [](uint64_t term, uint64_t commit = 0) {
            Message m;
            m.set_type(MSG_HEARTBEAT);
            m.set_from(3);
            m.set_to(2);
            m.set_term(term);
            m.set_commit(commit);
            return m;
        };
        for (uint64_t term : {~uint64_t(0), ~uint64_t(0) - 1, kMaxTerm + 1}) {
            Status s = c.node(2).step(heartbeat(term));
            QCOMPARE(s.code(), StatusCode::Corruption);
            QVERIFY2(s.message().find("beyond the largest usable value") != std::string::npos, s.message().c_str());
        }
        QCOMPARE(c.node(2).step(heartbeat(termBefore, ~uint64_t(0))).code(), StatusCode::Corruption);
        Message vote;
        vote.set_type(MSG_PRE_VOTE);
        vote.set_from(3);
        vote.set_to(2);
        vote.set_term(termBefore + 1);
        vote.set_index(~uint64_t(0));
        vote.set_log_term(~uint64_t(0));
        QCOMPARE(c.node(2).step(vote).code(), StatusCode::Corruption);
        Message app = heartbeat(termBefore);
        app.set_type(MSG_APP);
        app.set_index(5);
        Entry *e = app.add_entries();
        e->set_index(6);
        e->set_term(kMaxTerm + 1);
        QCOMPARE(c.node(2).step(app).code(), StatusCode::Corruption);
        // Nothing moved, and the node still elects and campaigns normally (no abort).
        QCOMPARE(c.node(2).status().term, termBefore);
        for (int i = 0; i < 30; ++i) {   // past several election timeouts, where the wrapped term aborted
            c.tickAll();
            c.stabilize();
        }
        QVERIFY(c.leader() != 0);
        // The limit itself is usable.
        QVERIFY(c.node(2).step(heartbeat(kMaxTerm)).isOk());
    }

    // What could not be applied once committed never enters the log: a leader refuses proposed
    // NOOP or unknown entries, NORMAL data the application's check refuses, and proposals
    // forwarded by a node that is not a member. Every node would otherwise stop at the entry.
    void leaderRefusesProposalsThatCouldNotBeApplied()
    {
        TestCluster c({1, 2, 3}, [](Config &config) {
            config.validateProposal = [](const std::string &data) {
                return data.starts_with("ok") ? Status::ok() : invalidArgument("not a command");
            };
        });
        QVERIFY(c.elect(1));
        const uint64_t last = c.node(1).status().lastIndex;
        const auto prop = [](uint64_t from, EntryType type, std::string data) {
            Message m;
            m.set_type(MSG_PROP);
            m.set_from(from);
            m.set_to(1);
            Entry *e = m.add_entries();
            e->set_type(type);
            e->set_data(std::move(data));
            return m;
        };
        Status s = c.node(1).step(prop(2, ENTRY_NOOP, "poison"));
        QVERIFY(!s.isOk());
        QVERIFY2(s.message().find("type 3 cannot be proposed") != std::string::npos, s.message().c_str());
        QVERIFY(!c.node(1).step(prop(2, ENTRY_UNSPECIFIED, "")).isOk());
        QVERIFY(!c.node(1).step(prop(2, EntryType(9), "")).isOk());
        s = c.node(1).step(prop(2, ENTRY_NORMAL, "garbage"));
        QVERIFY2(s.message().find("not a command") != std::string::npos, s.message().c_str());
        s = c.node(1).step(prop(99, ENTRY_NORMAL, "ok from outside"));
        QVERIFY2(s.message().find("node 99, which is not a member") != std::string::npos, s.message().c_str());
        QVERIFY(!c.node(1).propose("local garbage").isOk());
        c.stabilize();
        QCOMPARE(c.node(1).status().lastIndex, last);
        // A forwarded proposal through a follower is checked by the leader too, and good ones pass.
        QVERIFY(c.node(1).step(prop(2, ENTRY_NORMAL, "ok forwarded")).isOk());
        QVERIFY(c.node(2).propose("ok from a follower").isOk());
        QVERIFY(c.node(2).propose("garbage from a follower").isOk());   // forwarded; the leader refuses it
        c.stabilize();
        QCOMPARE(c.node(1).status().lastIndex, last + 2);
        for (uint64_t id : c.ids())
            for (const Entry &e : c.testNode(id).applied)
                QVERIFY(e.type() != ENTRY_NORMAL || e.data().starts_with("ok"));
    }

    // A follower sends a proposal again when the leader it went to is lost; every copy names the
    // first index a copy can take, and a leader appends one only when its log from there holds
    // none: one copy is committed however often it was sent (RaftStep.cpp, dropResentCopies).
    void resentProposalIsCommittedOnce()
    {
        const auto identity = [](const std::string &data) { return data.substr(0, data.find('#')); };
        TestCluster c({1, 2, 3}, [&](Config &config) { config.proposalIdentity = identity; });
        QVERIFY(c.elect(1));
        // Ticks until one of `ids` leads (the others' leader lease must run out first).
        const auto electOneOf = [&](std::set<uint64_t> ids) {
            for (int i = 0; i < 100; ++i) {
                c.tickAll();
                c.stabilize();
                for (uint64_t id : ids)
                    if (c.node(id).status().role == Role::Leader)
                        return true;
            }
            return false;
        };
        const auto copies = [&](uint64_t id, const std::string &which) {
            int n = 0;
            for (const Entry &e : c.testNode(id).applied)
                n += e.type() == ENTRY_NORMAL && identity(e.data()) == which;
            return n;
        };
        // Sent again to the same leader (a dropped link), and proposed on the leader itself.
        uint64_t first = c.node(2).status().commit + 1;
        QVERIFY(c.node(2).propose("a#1", first).isOk());
        c.stabilize();
        QVERIFY(c.node(2).propose("a#2", first).isOk());
        QVERIFY(c.node(1).propose("a#3", first).isOk());
        c.stabilize();
        for (uint64_t id : c.ids())
            QCOMPARE(copies(id, "a"), 1);

        // Leader 1 appends a copy that reaches node 3 but is not committed (3's ack is lost), and
        // dies; node 3 leads with the copy in its log. The copy node 2 sends it again is dropped
        // and the first one committed: without the check both would be.
        first = c.node(2).status().commit + 1;
        c.cut(1, 2);
        c.cut(3, 1);
        QVERIFY(c.node(2).propose("b#1", first).isOk());
        c.stabilize();
        QCOMPARE(copies(2, "b"), 0);
        c.isolate(1);
        QVERIFY(electOneOf({3}));   // only 3 can: its log is longer than 2's
        QVERIFY(c.node(2).propose("b#2", first).isOk());
        c.stabilize();
        c.heal();
        c.tickAll(3);
        c.stabilize();
        for (uint64_t id : c.ids())
            QCOMPARE(copies(id, "b"), 1);

        // Leader 3 appends a copy no one else gets, and is cut off; node 1 or 2 leads without it
        // and appends the copy sent again; 3's is overwritten when it rejoins.
        first = c.node(2).status().commit + 1;
        c.isolate(3);
        QVERIFY(c.node(3).propose("c#1", first).isOk());
        c.stabilize();
        QVERIFY(electOneOf({1, 2}));
        QVERIFY(c.node(2).propose("c#2", first).isOk());
        c.stabilize();
        c.heal();
        c.tickAll(3);
        c.stabilize();
        for (uint64_t id : c.ids())
            QCOMPARE(copies(id, "c"), 1);

        // The second scenario again with copies sent unchecked (no first index): both committed.
        const uint64_t was = c.leader();
        QVERIFY(was != 0);
        const uint64_t other = was == 1 ? 2 : 1, third = 6 - was - other;
        c.cut(was, other);
        c.cut(third, was);
        QVERIFY(c.node(other).propose("e#1").isOk());
        c.stabilize();
        c.isolate(was);
        QVERIFY(electOneOf({third}));
        QVERIFY(c.node(other).propose("e#2").isOk());
        c.stabilize();
        c.heal();
        c.tickAll(3);
        c.stabilize();
        for (uint64_t id : c.ids())
            QCOMPARE(copies(id, "e"), 2);

        // A leader whose log was compacted past the first index cannot look, so it refuses.
        const uint64_t lead = c.leader();
        QVERIFY(lead != 0);
        QVERIFY(c.storage(lead).compact(c.node(lead).status().commit).isOk());
        Status s = c.node(lead).propose("d#1", 1);
        QCOMPARE(s.code(), StatusCode::Unavailable);
        QVERIFY2(s.message().find("cannot rule out a duplicate") != std::string::npos, s.message().c_str());
        // Data without an identity, or a proposal sent once, is never checked.
        QVERIFY(c.node(lead).propose("#once", 1).isOk());
        QVERIFY(c.node(lead).propose("d#2").isOk());
    }

    void stepRefusesLocalMessages()
    {
        TestCluster c({1});
        Message m;
        m.set_type(MSG_HUP);
        m.set_from(2);
        QCOMPARE(c.node(1).step(m).code(), StatusCode::InvalidArgument);
    }

    void entryDispatchRefusesUnknownTypes()
    {
        EntryHandlers h;
        int normal = 0, conf = 0;
        h.onNormal = [&](const Entry &) { ++normal; return Status::ok(); };
        h.onConfChange = [&](const Entry &, const ConfChange &cc) {
            ++conf;
            return cc.changes_size() == 1 ? Status::ok() : internalError("bad");
        };
        Entry e;
        e.set_index(42);
        e.set_type(EntryType(7));
        Status s = dispatchEntry(e, h);
        QCOMPARE(s.code(), StatusCode::Corruption);
        QVERIFY(s.message().find("entry 42 has unknown type 7; refusing to apply") != std::string::npos);
        e.set_type(ENTRY_UNSPECIFIED);
        QVERIFY(dispatchEntry(e, h).message().find("unknown type 0") != std::string::npos);
        e.set_type(ENTRY_CONF_CHANGE);
        e.set_data("\xff\xff\xff");
        QCOMPARE(dispatchEntry(e, h).code(), StatusCode::Corruption);
        e.set_data(makeChange(ADD_VOTER, 4).SerializeAsString());
        QVERIFY(dispatchEntry(e, h).isOk());
        e.set_type(ENTRY_NORMAL);
        QVERIFY(dispatchEntry(e, h).isOk());
        e.set_type(ENTRY_NOOP);
        e.clear_data();
        QVERIFY(dispatchEntry(e, h).isOk());
        QCOMPARE(normal, 1);
        QCOMPARE(conf, 1);
    }
};

QTEST_GUILESS_MAIN(RaftCoreTest)
#include "RaftCoreTest.moc"
