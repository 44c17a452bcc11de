// Feature 3: one test per rule of the Raft paper (Ongaro & Ousterhout 2014, Figures 2 and 3).
#include "NodeHarness.h"
#include "TestCluster.h"

#include <QTest>

#include <map>

using namespace skiff;
using namespace skiff::raft;
using namespace skiff::raft::test;

namespace {
auto noPreVote = [](Config &c) { c.preVote = false; c.checkQuorum = false; };

Message vote(uint64_t from, uint64_t to, uint64_t term, uint64_t lastIndex, uint64_t lastTerm)
{
    Message m = makeMsg(MSG_VOTE, from, to, term);
    m.set_index(lastIndex);
    m.set_log_term(lastTerm);
    return m;
}

Message append(uint64_t from, uint64_t to, uint64_t term, uint64_t prevIndex, uint64_t prevTerm,
               const std::vector<uint64_t> &entryTerms, uint64_t commit)
{
    Message m = makeMsg(MSG_APP, from, to, term);
    m.set_index(prevIndex);
    m.set_log_term(prevTerm);
    m.set_commit(commit);
    for (size_t i = 0; i < entryTerms.size(); ++i) {
        Entry *e = m.add_entries();
        e->set_index(prevIndex + 1 + i);
        e->set_term(entryTerms[i]);
        e->set_type(ENTRY_NORMAL);
        e->set_data("new" + std::to_string(prevIndex + 1 + i));
    }
    return m;
}

std::vector<uint64_t> logTerms(MemoryStorage &st)
{
    std::vector<uint64_t> out;
    for (uint64_t i = st.firstIndex().value(); i <= st.lastIndex().value(); ++i)
        out.push_back(st.term(i).value());
    return out;
}
} // namespace

class PaperTest : public QObject {
    Q_OBJECT
private slots:
    // Election Safety: at most one leader can be elected in a given term (§5.2).
    void electionSafety()
    {
        TestCluster c({1, 2, 3, 4, 5}, noPreVote);
        // Two candidates in the same term split the votes; whatever happens, one leader per term.
        (void)c.node(1).campaign();
        (void)c.node(2).campaign();
        c.stabilize();
        std::map<uint64_t, int> leadersPerTerm;
        for (uint64_t id : c.ids()) {
            auto s = c.node(id).status();
            if (s.role == Role::Leader)
                leadersPerTerm[s.term]++;
        }
        if (leadersPerTerm.empty()) {   // the split vote left no leader: the timeouts resolve it
            QVERIFY(c.waitForLeader() != 0);
            for (uint64_t id : c.ids())
                if (c.node(id).status().role == Role::Leader)
                    leadersPerTerm[c.node(id).status().term]++;
        }
        // Passing with no leader at all would prove nothing.
        QVERIFY2(!leadersPerTerm.empty(), "no node became leader");
        for (auto &[term, n] : leadersPerTerm)
            QCOMPARE(n, 1);
    }

    // A server grants at most one vote per term, first come first served (§5.2).
    void voteOncePerTerm()
    {
        NodeHarness h(3, {1, 2, 3}, {}, 0, 0, noPreVote);
        QVERIFY(h.step(vote(1, 3, 1, 0, 0)).isOk());
        QVERIFY(h.step(vote(2, 3, 1, 0, 0)).isOk());
        auto resps = ofType(h.drain(), MSG_VOTE_RESP);
        QCOMPARE(resps.size(), size_t(2));
        QCOMPARE(resps[0].to(), uint64_t(1));
        QVERIFY(!resps[0].reject());
        QCOMPARE(resps[1].to(), uint64_t(2));
        QVERIFY(resps[1].reject());
        QCOMPARE(h.storage().hardState().vote(), uint64_t(1));
        // The same candidate asking again (a retransmission) gets the vote again.
        QVERIFY(h.step(vote(1, 3, 1, 0, 0)).isOk());
        QVERIFY(!ofType(h.drain(), MSG_VOTE_RESP)[0].reject());
    }

    // Vote only for a candidate whose log is at least as up-to-date as ours (§5.4.1).
    void voteRequiresUpToDateLog()
    {
        NodeHarness h(3, {1, 2, 3}, {1, 2}, 2, 0, noPreVote);
        QVERIFY(h.step(vote(1, 3, 3, 5, 1)).isOk());  // longer log, older last term
        QVERIFY(ofType(h.drain(), MSG_VOTE_RESP)[0].reject());
        QVERIFY(h.step(vote(2, 3, 4, 1, 2)).isOk());  // same last term, shorter log
        QVERIFY(ofType(h.drain(), MSG_VOTE_RESP)[0].reject());
        QVERIFY(h.step(vote(1, 3, 5, 2, 2)).isOk());  // same last term and length
        QVERIFY(!ofType(h.drain(), MSG_VOTE_RESP)[0].reject());
    }

    // A stale request (lower term) is rejected and the reply carries the current term (§5.1).
    void rejectsLowerTerm()
    {
        NodeHarness h(3, {1, 2, 3}, {1}, 5, 0, noPreVote);
        QVERIFY(h.step(vote(1, 3, 4, 9, 4)).isOk());
        auto out = h.drain();
        QVERIFY(ofType(out, MSG_VOTE_RESP).empty());  // ignored: never granted
        QCOMPARE(h.term(), uint64_t(5));
        QCOMPARE(h.storage().hardState().vote(), uint64_t(0));
    }

    // Candidate fallback: a candidate that hears from a leader of at least its term becomes a
    // follower (§5.2).
    void candidateFallsBackOnAppend()
    {
        for (uint64_t leaderTerm : {1u, 2u}) {
            NodeHarness h(1, {1, 2, 3}, {}, 0, 0, noPreVote);
            QVERIFY(h.node().campaign().isOk());
            h.drain();
            QCOMPARE(h.node().status().role, Role::Candidate);
            QCOMPARE(h.term(), uint64_t(1));
            QVERIFY(h.step(append(2, 1, leaderTerm, 0, 0, {}, 0)).isOk());
            auto s = h.node().status();
            QCOMPARE(s.role, Role::Follower);
            QCOMPARE(s.leader, uint64_t(2));
            QCOMPARE(s.term, leaderTerm);
        }
    }

    // A candidate that loses the election (majority rejects) returns to follower (§5.2).
    void candidateFallsBackOnLostElection()
    {
        NodeHarness h(1, {1, 2, 3}, {}, 0, 0, noPreVote);
        QVERIFY(h.node().campaign().isOk());
        h.drain();
        Message r2 = makeMsg(MSG_VOTE_RESP, 2, 1, 1);
        r2.set_reject(true);
        Message r3 = makeMsg(MSG_VOTE_RESP, 3, 1, 1);
        r3.set_reject(true);
        QVERIFY(h.step(r2).isOk());
        QCOMPARE(h.node().status().role, Role::Candidate);
        QVERIFY(h.step(r3).isOk());
        QCOMPARE(h.node().status().role, Role::Follower);
    }

    // A follower rejects an AppendEntries whose previous entry does not match (§5.3), and its
    // hint lets the leader skip the mismatching term.
    void followerRejectsMismatchedAppend()
    {
        NodeHarness h(2, {1, 2, 3}, {1, 1, 2, 2}, 3, 0, noPreVote);
        QVERIFY(h.step(append(1, 2, 3, 4, 3, {3}, 0)).isOk());  // our entry 4 has term 2, not 3
        auto resp = ofType(h.drain(), MSG_APP_RESP);
        QCOMPARE(resp.size(), size_t(1));
        QVERIFY(resp[0].reject());
        QCOMPARE(resp[0].index(), uint64_t(4));
        QCOMPARE(resp[0].reject_hint(), uint64_t(4));  // largest index with term <= 3
        QCOMPARE(resp[0].log_term(), uint64_t(2));
        QCOMPARE(logTerms(h.storage()), (std::vector<uint64_t>{1, 1, 2, 2}));
        QVERIFY(h.step(append(1, 2, 3, 9, 3, {3}, 0)).isOk());  // beyond our log
        resp = ofType(h.drain(), MSG_APP_RESP);
        QVERIFY(resp[0].reject());
        QCOMPARE(resp[0].reject_hint(), uint64_t(4));
    }

    // Log Matching: on a matching previous entry, conflicting entries are replaced and the
    // follower's log becomes identical to the leader's through the last new entry (§5.3).
    void logMatching()
    {
        NodeHarness h(2, {1, 2, 3}, {1, 1, 2, 2, 2}, 3, 0, noPreVote);
        QVERIFY(h.step(append(1, 2, 3, 2, 1, {3, 3}, 0)).isOk());
        auto resp = ofType(h.drain(), MSG_APP_RESP);
        QVERIFY(!resp[0].reject());
        QCOMPARE(resp[0].index(), uint64_t(4));
        QCOMPARE(logTerms(h.storage()), (std::vector<uint64_t>{1, 1, 3, 3}));
        // An append already contained in the log (a duplicate) changes nothing.
        QVERIFY(h.step(append(1, 2, 3, 2, 1, {3}, 0)).isOk());
        h.drain();
        QCOMPARE(logTerms(h.storage()), (std::vector<uint64_t>{1, 1, 3, 3}));
    }

    // Follower commit = min(leaderCommit, index of last new entry) (Figure 2, rule 5).
    void commitIsMinOfLeaderCommitAndLastNewEntry()
    {
        NodeHarness h(2, {1, 2, 3}, {1, 1, 1, 1, 1}, 1, 0, noPreVote);
        // Entries 1..5 exist locally but only 2 is vouched for by this append.
        QVERIFY(h.step(append(1, 2, 1, 1, 1, {1}, 5)).isOk());
        h.drain();
        QCOMPARE(h.node().status().commit, uint64_t(2));
        QVERIFY(h.step(append(1, 2, 1, 2, 1, {1, 1}, 3)).isOk());
        h.drain();
        QCOMPARE(h.node().status().commit, uint64_t(3));
        // A heartbeat carries min(match, commit), so it may move commit forward too.
        Message hb = makeMsg(MSG_HEARTBEAT, 1, 2, 1);
        hb.set_commit(4);
        QVERIFY(h.step(hb).isOk());
        QCOMPARE(h.node().status().commit, uint64_t(4));
    }

    // Leader Append-Only: a leader never overwrites or deletes entries in its log (§5.3).
    void leaderAppendOnly()
    {
        NodeHarness h(1, {1, 2, 3}, {1, 1}, 1, 0, noPreVote);
        QVERIFY(h.node().campaign().isOk());
        h.drain();
        QVERIFY(h.step(makeMsg(MSG_VOTE_RESP, 2, 1, 2)).isOk());
        h.drain();
        QCOMPARE(h.node().status().role, Role::Leader);
        QVERIFY(h.node().propose("x").isOk());
        h.drain();
        const auto before = logTerms(h.storage());
        QCOMPARE(before, (std::vector<uint64_t>{1, 1, 2, 2}));
        // A stale leader's conflicting append is refused, not applied.
        QVERIFY(h.step(append(3, 1, 1, 1, 1, {1, 1, 1}, 0)).isOk());
        h.drain();
        QCOMPARE(logTerms(h.storage()), before);
        QCOMPARE(h.node().status().role, Role::Leader);
    }

    // Only entries of the leader's current term are committed by counting replicas; earlier
    // entries commit indirectly (§5.4.2, Figure 8).
    void leaderCommitsOnlyCurrentTermByCounting()
    {
        NodeHarness h(1, {1, 2, 3}, {1, 2}, 2, 1, noPreVote);
        QVERIFY(h.node().campaign().isOk());
        h.drain();
        QVERIFY(h.step(makeMsg(MSG_VOTE_RESP, 2, 1, 3)).isOk());
        h.drain();  // persists the NOOP at 3 (term 3)
        QCOMPARE(h.node().status().role, Role::Leader);
        // Follower 2 has entry 2 (term 2): a majority holds it, but it is not of term 3.
        Message ack = makeMsg(MSG_APP_RESP, 2, 1, 3);
        ack.set_index(2);
        QVERIFY(h.step(ack).isOk());
        h.drain();
        QCOMPARE(h.node().status().commit, uint64_t(1));
        ack.set_index(3);
        QVERIFY(h.step(ack).isOk());
        h.drain();
        QCOMPARE(h.node().status().commit, uint64_t(3));  // and entry 2 with it
    }

    // Leader Completeness: a node missing committed entries cannot become leader (§5.4).
    void leaderCompleteness()
    {
        TestCluster c({1, 2, 3}, noPreVote);
        QVERIFY(c.elect(1));
        c.isolate(3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(c.node(1).propose("c" + std::to_string(i)).isOk());
        c.stabilize();
        const uint64_t committed = c.node(1).status().commit;
        QCOMPARE(committed, uint64_t(4));
        c.heal();
        c.isolate(1);
        QVERIFY(!c.elect(3));  // 2 refuses: 3's log lacks committed entries
        QVERIFY(c.elect(2));
        for (uint64_t i = 1; i <= committed; ++i)
            QVERIFY(c.storage(2).term(i).isOk());
    }

    // State Machine Safety: no two servers apply different entries at the same index, across
    // leader changes (§5.4.3).
    void stateMachineSafety()
    {
        TestCluster c({1, 2, 3, 4, 5}, noPreVote);
        int n = 0;
        for (uint64_t leader : {1, 2, 3, 4, 5, 1}) {
            QVERIFY(c.elect(leader));
            for (int i = 0; i < 3; ++i)
                QVERIFY(c.node(leader).propose("v" + std::to_string(n++)).isOk());
            c.isolate((leader + 2) % 5 + 1);  // someone (not the next leader) always misses some
            c.stabilize();
            c.heal();
        }
        c.tickAll();
        c.stabilize();
        const auto &ref = c.testNode(1).applied;
        QCOMPARE(normalData(ref).size(), size_t(18));
        for (uint64_t id : c.ids()) {
            const auto &got = c.testNode(id).applied;
            QCOMPARE(got.size(), ref.size());
            for (size_t i = 0; i < got.size(); ++i) {
                QCOMPARE(got[i].index(), ref[i].index());
                QCOMPARE(got[i].term(), ref[i].term());
                QCOMPARE(got[i].data(), ref[i].data());
            }
        }
    }
};

QTEST_GUILESS_MAIN(PaperTest)
#include "PaperTest.moc"
