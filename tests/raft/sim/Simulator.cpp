#include "Simulator.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace skiff::raft::sim {

using std::to_string;

volatile uint64_t g_simCurrentSeed = 0;

namespace {
void onAbort(int)
{
    char buf[96];
    const int n = std::snprintf(buf, sizeof buf, "\nraft sim: aborted while running seed %llu\n",
                                (unsigned long long)g_simCurrentSeed);
    if (n > 0)
        (void)!write(2, buf, size_t(n));
    std::signal(SIGABRT, SIG_DFL);
    std::raise(SIGABRT);
}

uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0x100000001b3ULL;
}

uint64_t hashString(const std::string &s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s)
        h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

std::string encodeState(uint64_t index, uint64_t hash)
{
    std::string s(16, '\0');
    std::memcpy(s.data(), &index, 8);
    std::memcpy(s.data() + 8, &hash, 8);
    return s;
}
} // namespace

void installSimAbortHandler() { std::signal(SIGABRT, onAbort); }

struct Simulator::Node {
    std::unique_ptr<MemoryStorage> disk;  // survives crashes: exactly what was persisted
    std::unique_ptr<RawNode> raft;        // null while crashed
    uint64_t smIndex = 0;                 // state machine: last applied index and hash chain
    uint64_t smHash = 0;
    ConfState conf;                       // configuration as of smIndex (what applyConfChange returned)
    uint64_t liveTerm = 0;                // monotonic within one life
    uint64_t liveCommit = 0;
    uint64_t diskTerm = 0;                // monotonic across lives
    uint64_t diskCommit = 0;
};

Simulator::Simulator(uint64_t seed, bool trace) : m_seed(seed), m_rng(seed), m_net(&m_rng), m_tracing(trace)
{
    const int n = m_rng.chance(0.3) ? 5 : 3;
    m_preVote = m_rng.chance(0.75);
    m_checkQuorum = m_rng.chance(0.75);
    m_maxInflight = 1 + m_rng.uniform(8);
    m_maxMsgSize = 64 + m_rng.uniform(1024);
    ConfState cs;
    for (int i = 1; i <= n; ++i) {
        m_ids.push_back(uint64_t(i));
        cs.add_voters(uint64_t(i));
    }
    for (uint64_t id : m_ids) {
        auto node = std::make_unique<Node>();
        node->disk = std::make_unique<MemoryStorage>(cs);
        node->conf = cs;
        m_nodes[id] = std::move(node);
        m_nodes[id]->raft = makeRawNode(id);
    }
    ev('I', uint64_t(n), m_preVote, m_checkQuorum, m_maxInflight);
}

Simulator::~Simulator() = default;

std::unique_ptr<RawNode> Simulator::makeRawNode(uint64_t id)
{
    Config c;
    c.id = id;
    c.storage = m_nodes.at(id)->disk.get();
    c.electionTick = 10;
    c.heartbeatTick = 1;
    c.preVote = m_preVote;
    c.checkQuorum = m_checkQuorum;
    c.maxInflightMsgs = m_maxInflight;
    c.maxSizePerMsg = m_maxMsgSize;
    c.randomSeed = m_seed * 31 + m_now;  // a restarted node draws new timeouts
    auto r = RawNode::create(c);
    if (!r.isOk()) {
        fail("cannot start node " + to_string(id) + ": " + r.status().toString());
        return nullptr;
    }
    return std::move(r).value();
}

void Simulator::fail(const std::string &what)
{
    if (m_result.ok) {
        m_result.ok = false;
        m_result.failure = "round " + to_string(m_now) + ": " + what;
    }
}

void Simulator::ev(char kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    uint64_t h = m_result.traceHash ? m_result.traceHash : 0xcbf29ce484222325ULL;
    for (uint64_t v : {uint64_t(kind), m_now, a, b, c, d})
        h = mix(h, v);
    m_result.traceHash = h;
    if (m_tracing) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%6llu %c %llu %llu %llu %llu\n", (unsigned long long)m_now, kind,
                      (unsigned long long)a, (unsigned long long)b, (unsigned long long)c, (unsigned long long)d);
        m_result.trace += buf;
    }
}

SimResult Simulator::run()
{
    g_simCurrentSeed = m_seed;
    const uint64_t chaosRounds = 500 + m_rng.uniform(700);
    for (uint64_t i = 0; i < chaosRounds && m_result.ok; ++i)
        round(true);
    // Heal: every link up, no loss, every node running. The cluster must converge.
    ev('H');
    m_net.healAll();
    m_net.setDropRate(0);
    m_net.setDupRate(0);
    m_net.setMaxDelay(2);
    for (uint64_t id : m_ids)
        if (!m_nodes[id]->raft)
            restart(id);
    bool done = false;
    for (int i = 0; i < 5000 && m_result.ok && !done; ++i) {
        round(false);
        if (i % 60 == 59) {
            clientPropose(true);
            changeMembership(true);
        }
        done = converged();
    }
    if (m_result.ok && !done) {
        std::string missing;
        for (auto &[n, data] : m_acked)
            if (!m_appliedProposals.count(data))
                missing += " " + data;
        std::string nodes;
        for (uint64_t id : m_ids) {
            auto &n = *m_nodes[id];
            auto s = n.raft->status();
            nodes += "\n    node " + to_string(id) + ": " + roleName(s.role) + " term " + to_string(s.term) +
                     " leader " + to_string(s.leader) + " commit " + to_string(s.commit) + " last " +
                     to_string(s.lastIndex) + " applied " + to_string(n.smIndex) + " voters";
            for (uint64_t v : s.voters)
                nodes += " " + to_string(v);
            nodes += " learners";
            for (uint64_t v : s.learners)
                nodes += " " + to_string(v);
            for (auto &p : s.progress)
                nodes += "\n      peer " + to_string(p.id) + " match " + to_string(p.match) + " next " +
                         to_string(p.next) + " " + progressStateName(p.state) + " pendingSnap " +
                         to_string(p.pendingSnapshot) + " inflight " + to_string(p.inflight);
        }
        fail("no convergence after heal: leader " + to_string(knownLeader()) + ", unapplied acked proposals:" +
             (missing.empty() ? " none" : missing) + nodes);
    }
    m_result.rounds = m_now;
    m_result.committed = m_committed.empty() ? 0 : m_committed.rbegin()->first;
    return m_result;
}

void Simulator::round(bool chaos)
{
    ++m_now;
    for (const Message &m : m_net.deliverDue(m_now)) {
        deliver(m);
        if (!m_result.ok)
            return;
    }
    for (auto [from, to] : m_net.takeDroppedSnapshots()) {
        if (m_nodes[from]->raft) {
            m_nodes[from]->raft->reportSnapshot(to, false);
            ev('s', from, to);
        }
    }
    for (uint64_t id : m_ids) {
        Node &n = *m_nodes[id];
        if (n.raft && m_rng.chance(0.5)) {
            n.raft->tick();
            ev('T', id);
        }
    }
    if (chaos) {
        if (m_rng.chance(0.06))
            chaosEvent();
        if (m_rng.chance(0.25))
            clientPropose(false);
    }
    if (m_rng.chance(0.04))
        requestRead(m_ids[m_rng.uniform(m_ids.size())]);
    for (uint64_t id : m_ids) {
        if (m_nodes[id]->raft && m_nodes[id]->raft->hasReady())
            handleReady(id, chaos);
        if (!m_result.ok)
            return;
    }
    checkInvariants();
}

void Simulator::chaosEvent()
{
    const uint64_t id = m_ids[m_rng.uniform(m_ids.size())];
    const uint64_t other = m_ids[m_rng.uniform(m_ids.size())];
    size_t down = 0;
    for (auto &[i, n] : m_nodes)
        down += n->raft ? 0 : 1;
    switch (m_rng.uniform(15)) {
    case 0: {  // random two-sided partition
        std::set<uint64_t> side;
        for (uint64_t i : m_ids)
            if (m_rng.chance(0.5))
                side.insert(i);
        for (uint64_t a : m_ids)
            for (uint64_t b : m_ids)
                if (side.count(a) != side.count(b))
                    m_net.cut(a, b);
        ev('P', side.size());
        break;
    }
    case 1:  // one-way cut
        if (id != other) {
            m_net.cut(id, other);
            ev('C', id, other);
        }
        break;
    case 2:  // isolate
        for (uint64_t b : m_ids)
            if (b != id) {
                m_net.cut(id, b);
                m_net.cut(b, id);
            }
        ev('X', id);
        break;
    case 3:
        m_net.healAll();
        ev('h');
        break;
    case 4:
        if (m_nodes[id]->raft && down < m_ids.size() / 2 + 1)
            crash(id);
        break;
    case 5:
    case 6:
        for (uint64_t i : m_ids)
            if (!m_nodes[i]->raft) {
                restart(i);
                break;
            }
        break;
    case 7: {
        const double drop = double(m_rng.uniform(4)) * 0.1;
        const double dup = double(m_rng.uniform(3)) * 0.05;
        const uint64_t delay = m_rng.uniform(7);
        m_net.setDropRate(drop);
        m_net.setDupRate(dup);
        m_net.setMaxDelay(delay);
        ev('N', uint64_t(drop * 100), uint64_t(dup * 100), delay);
        break;
    }
    case 8:
    case 9:
        if (m_nodes[id]->raft)
            compact(id);
        break;
    case 10:
        if (m_nodes[id]->raft) {
            (void)m_nodes[id]->raft->campaign();
            ev('E', id);
        }
        break;
    case 11:
        changeMembership(false);
        break;
    case 12:
        if (m_nodes[id]->raft) {
            Status s = m_nodes[id]->raft->transferLeader(other);
            ++m_result.transfers;
            ev('L', id, other, s.isOk());
        }
        break;
    case 13:
    case 14:
        requestRead(id);
        break;
    }
}

uint64_t Simulator::knownLeader() const
{
    uint64_t leader = 0, term = 0;
    for (auto &[id, n] : m_nodes) {
        if (!n->raft)
            continue;
        auto s = n->raft->status();
        if (s.role == Role::Leader && s.term >= term) {
            leader = id;
            term = s.term;
        }
    }
    return leader;
}

void Simulator::clientPropose(bool retryMissing)
{
    std::vector<std::string> batch;
    if (retryMissing) {
        for (auto &[n, data] : m_acked)
            if (!m_appliedProposals.count(data))
                batch.push_back(data);
    } else {
        batch.push_back("p" + to_string(m_nextProposal++));
    }
    for (const std::string &data : batch) {
        uint64_t target = knownLeader();
        if (target == 0 || m_rng.chance(0.3))
            target = m_ids[m_rng.uniform(m_ids.size())];
        Node &n = *m_nodes[target];
        if (!n.raft)
            continue;
        Status s = n.raft->propose(data);
        ev('p', target, hashString(data), s.isOk());
        if (s.isOk() && !retryMissing)
            m_acked[m_nextProposal - 1] = data;
    }
}

void Simulator::changeMembership(bool healing)
{
    // Without PreVote and CheckQuorum nothing stops a removed node that missed its removal from
    // disrupting elections forever (Raft §6); such schedules keep a fixed membership.
    if (!m_preVote && !m_checkQuorum)
        return;
    const uint64_t leader = knownLeader();
    if (leader == 0)
        return;
    const auto s = m_nodes[leader]->raft->status();
    const std::set<uint64_t> voters(s.voters.begin(), s.voters.end());
    const std::set<uint64_t> learners(s.learners.begin(), s.learners.end());
    ConfChange cc;
    if (!s.votersOutgoing.empty()) {
        // Joint: the only way forward is leaving it (an empty change).
        if (!healing && m_rng.chance(0.5))
            return;
    } else if (healing) {
        // Everyone back as a voter, one change at a time.
        for (uint64_t id : m_ids) {
            if (!voters.count(id)) {
                auto *c = cc.add_changes();
                c->set_node_id(id);
                c->set_type(ADD_VOTER);
                break;
            }
        }
        if (cc.changes_size() == 0)
            return;
    } else {
        const int n = m_rng.chance(0.5) ? 2 : 1;  // two changes enter a joint configuration
        std::set<uint64_t> used;
        for (int k = 0; k < n; ++k) {
            const uint64_t id = m_ids[m_rng.uniform(m_ids.size())];
            if (!used.insert(id).second)
                continue;
            auto *c = cc.add_changes();
            c->set_node_id(id);
            if (voters.count(id))
                c->set_type(voters.size() <= 2 ? ADD_VOTER : (m_rng.chance(0.5) ? REMOVE_NODE : ADD_LEARNER));
            else if (learners.count(id))
                c->set_type(m_rng.chance(0.7) ? ADD_VOTER : REMOVE_NODE);
            else
                c->set_type(ADD_LEARNER);
        }
        if (m_rng.chance(0.3))
            cc.set_transition(m_rng.chance(0.5) ? TRANSITION_JOINT_EXPLICIT : TRANSITION_JOINT_IMPLICIT);
        // Keep a majority of the current voters as voters: a joint change that removes most of
        // them needs the removed nodes' votes until it is applied everywhere (see README).
        size_t stay = 0;
        for (uint64_t v : voters) {
            bool leaves = false;
            for (const auto &c : cc.changes())
                leaves = leaves || (c.node_id() == v && c.type() != ADD_VOTER);
            stay += leaves ? 0 : 1;
        }
        if (stay < voters.size() / 2 + 1)
            return;
    }
    Status st = m_nodes[leader]->raft->proposeConfChange(cc);
    ev('M', leader, cc.changes_size() ? cc.changes(0).node_id() : 0, cc.changes_size() * 10 + cc.transition(),
       st.isOk());
}

void Simulator::requestRead(uint64_t id)
{
    Node &n = *m_nodes[id];
    if (!n.raft)
        return;
    const std::string ctx = "r" + to_string(m_nextRead++);
    // Anything committed (applied anywhere) before the read was issued must be visible to it.
    const uint64_t floor = m_committed.empty() ? 0 : m_committed.rbegin()->first;
    Status s = n.raft->readIndex(ctx);
    ev('r', id, floor, s.isOk());
    if (s.isOk())
        m_pendingReads[ctx] = floor;
}

void Simulator::deliver(const Message &m)
{
    ev('D', m.from(), m.to(), uint64_t(m.type()), m.term());
    if (m_tracing && m.type() == MSG_APP)
        m_result.trace += "         app index " + to_string(m.index()) + " logterm " + to_string(m.log_term()) +
                          " entries " + to_string(m.entries_size()) + " commit " + to_string(m.commit()) + "\n";
    if (m_tracing && m.type() == MSG_APP_RESP)
        m_result.trace += "         resp index " + to_string(m.index()) + " reject " + to_string(m.reject()) +
                          " hint " + to_string(m.reject_hint()) + " logterm " + to_string(m.log_term()) + "\n";
    auto it = m_nodes.find(m.to());
    Node *from = m_nodes.count(m.from()) ? m_nodes[m.from()].get() : nullptr;
    const bool up = it != m_nodes.end() && it->second->raft;
    if (up)
        (void)it->second->raft->step(m);
    if (m.type() == MSG_SNAP && from && from->raft) {
        // The transport tells the sender how the snapshot send went.
        from->raft->reportSnapshot(m.to(), up);
        if (up)
            ++m_result.snapshotsSent;
    }
}

void Simulator::sendOut(const Message &m)
{
    if (m.type() == MSG_VOTE)
        recordVote(m.from(), m.term(), m.from());  // a candidate votes for itself
    if (m.type() == MSG_VOTE_RESP && !m.reject())
        recordVote(m.from(), m.term(), m.to());
    m_net.send(m, m_now);
}

void Simulator::recordVote(uint64_t voter, uint64_t term, uint64_t candidate)
{
    auto [it, inserted] = m_votes.emplace(std::make_pair(voter, term), candidate);
    if (!inserted && it->second != candidate)
        fail("node " + to_string(voter) + " voted twice in term " + to_string(term) + ": for " +
             to_string(it->second) + " and for " + to_string(candidate));
}

void Simulator::handleReady(uint64_t id, bool allowCrash)
{
    Node &n = *m_nodes[id];
    Ready rd = n.raft->ready();
    ev('R', id, rd.entries.size(), rd.committedEntries.size(), rd.hardState ? rd.hardState->commit() : 0);
    if (rd.softState && rd.softState->role == Role::Leader) {
        const uint64_t term = n.raft->status().term;
        auto [it, inserted] = m_leaderOfTerm.emplace(term, id);
        if (!inserted && it->second != id)
            fail("two leaders in term " + to_string(term) + ": " + to_string(it->second) + " and " + to_string(id));
    }
    // Messages that need no durability may leave before the write.
    for (const Message &m : rd.messages)
        sendOut(m);
    if (allowCrash && m_rng.chance(0.01)) {
        crash(id);  // before the write: this Ready's state is lost
        return;
    }
    if (rd.snapshot) {
        Status s = n.disk->applySnapshot(*rd.snapshot);
        if (!s.isOk())
            fail("node " + to_string(id) + " could not persist snapshot: " + s.toString());
    }
    if (Status s = n.disk->append(rd.entries); !s.isOk())
        fail("node " + to_string(id) + " could not persist entries: " + s.toString());
    if (rd.hardState) {
        const HardState &hs = *rd.hardState;
        if (hs.term() < n.diskTerm || hs.commit() < n.diskCommit)
            fail("node " + to_string(id) + " persisted term/commit " + to_string(hs.term()) + "/" +
                 to_string(hs.commit()) + " below earlier " + to_string(n.diskTerm) + "/" + to_string(n.diskCommit));
        n.diskTerm = hs.term();
        n.diskCommit = hs.commit();
        if (hs.vote() != 0)
            recordVote(id, hs.term(), hs.vote());
        n.disk->setHardState(hs);
    }
    for (const Message &m : rd.persistedMessages)
        sendOut(m);
    if (rd.snapshot)
        restoreSnapshot(id, *rd.snapshot);
    for (const Entry &e : rd.committedEntries)
        apply(id, e);
    for (const ReadState &rs : rd.readStates) {
        auto it = m_pendingReads.find(rs.requestCtx);
        if (it == m_pendingReads.end())
            continue;  // a duplicate answer
        if (rs.index < it->second)
            fail("read " + rs.requestCtx + " on node " + to_string(id) + " got read index " + to_string(rs.index) +
                 " but index " + to_string(it->second) + " was committed before it was issued (stale read)");
        ++m_result.reads;
        m_pendingReads.erase(it);
    }
    n.raft->advance(rd);
}

void Simulator::apply(uint64_t id, const Entry &e)
{
    Node &n = *m_nodes[id];
    if (e.index() != n.smIndex + 1) {
        fail("node " + to_string(id) + " applied entry " + to_string(e.index()) + " after " + to_string(n.smIndex));
        return;
    }
    const std::string content = to_string(int(e.type())) + ":" + e.data();
    auto [it, inserted] = m_committed.emplace(e.index(), std::make_pair(e.term(), content));
    if (!inserted && (it->second.first != e.term() || it->second.second != content))
        fail("committed entry " + to_string(e.index()) + " changed: term " + to_string(it->second.first) + " -> " +
             to_string(e.term()) + " on node " + to_string(id));
    n.smHash = mix(mix(n.smHash, e.term()), hashString(content));
    n.smIndex = e.index();
    auto [ch, fresh] = m_chainHash.emplace(e.index(), n.smHash);
    if (!fresh && ch->second != n.smHash)
        fail("node " + to_string(id) + " applied sequence diverges at index " + to_string(e.index()));
    if (e.type() == ENTRY_NORMAL)
        m_appliedProposals.emplace(e.data(), e.index());
    if (e.type() == ENTRY_CONF_CHANGE) {
        ConfChange cc;
        if (!cc.ParseFromString(e.data())) {
            fail("entry " + to_string(e.index()) + " does not decode as a ConfChange");
            return;
        }
        auto cs = n.raft->applyConfChange(cc);
        if (!cs.isOk())
            fail("node " + to_string(id) + " could not apply conf change at " + to_string(e.index()) + ": " +
                 cs.status().toString());
        else
            n.conf = cs.value();
        ++m_result.confChanges;
    }
}

void Simulator::restoreSnapshot(uint64_t id, const Snapshot &snap)
{
    Node &n = *m_nodes[id];
    const std::string &d = snap.data();
    if (d.size() != 16) {
        fail("node " + to_string(id) + " got a snapshot with malformed data");
        return;
    }
    uint64_t index, hash;
    std::memcpy(&index, d.data(), 8);
    std::memcpy(&hash, d.data() + 8, 8);
    if (index != snap.metadata().index())
        fail("snapshot image index " + to_string(index) + " != metadata index " + to_string(snap.metadata().index()));
    if (index < n.smIndex)
        fail("node " + to_string(id) + " was handed a snapshot at " + to_string(index) + " behind its applied " +
             to_string(n.smIndex));
    auto it = m_chainHash.find(index);
    if (it == m_chainHash.end() || it->second != hash)
        fail("snapshot at " + to_string(index) + " does not match the applied history");
    n.smIndex = index;
    n.smHash = hash;
    n.conf = snap.metadata().conf_state();
}

void Simulator::crash(uint64_t id)
{
    Node &n = *m_nodes[id];
    n.raft.reset();
    n.smIndex = 0;
    n.smHash = 0;
    ++m_result.crashes;
    ev('K', id);
}

void Simulator::restart(uint64_t id)
{
    Node &n = *m_nodes[id];
    // The state machine comes back from the persisted snapshot, the rest is re-applied.
    const Snapshot snap = n.disk->snapshot().value();
    n.smIndex = 0;
    n.smHash = 0;
    n.conf = snap.metadata().conf_state();
    if (!snap.data().empty()) {
        std::memcpy(&n.smIndex, snap.data().data(), 8);
        std::memcpy(&n.smHash, snap.data().data() + 8, 8);
    }
    n.raft = makeRawNode(id);
    if (n.raft) {
        auto s = n.raft->status();
        n.liveTerm = s.term;
        n.liveCommit = s.commit;
        if (s.term < n.diskTerm || s.commit < n.diskCommit)
            fail("node " + to_string(id) + " restarted below its persisted term/commit");
    }
    ev('U', id, n.smIndex);
}

void Simulator::compact(uint64_t id)
{
    Node &n = *m_nodes[id];
    const uint64_t first = n.disk->firstIndex().value();
    if (n.smIndex < first + 2)
        return;
    const ConfState cs = n.conf;
    auto snap = n.disk->createSnapshot(n.smIndex, &cs, encodeState(n.smIndex, n.smHash));
    if (!snap.isOk()) {
        fail("node " + to_string(id) + " snapshot failed: " + snap.status().toString());
        return;
    }
    if (Status s = n.disk->compact(n.smIndex); !s.isOk())
        fail("node " + to_string(id) + " compaction failed: " + s.toString());
    ev('Z', id, n.smIndex);
}

void Simulator::checkInvariants()
{
    for (uint64_t id : m_ids) {
        Node &n = *m_nodes[id];
        if (!n.raft)
            continue;
        auto s = n.raft->status();
        if (s.term < n.liveTerm)
            fail("node " + to_string(id) + " term decreased " + to_string(n.liveTerm) + " -> " + to_string(s.term));
        if (s.commit < n.liveCommit)
            fail("node " + to_string(id) + " commit decreased " + to_string(n.liveCommit) + " -> " +
                 to_string(s.commit));
        n.liveTerm = s.term;
        n.liveCommit = s.commit;
        if (s.role == Role::Leader) {
            auto [it, inserted] = m_leaderOfTerm.emplace(s.term, id);
            if (!inserted && it->second != id)
                fail("two leaders in term " + to_string(s.term) + ": " + to_string(it->second) + " and " +
                     to_string(id));
        }
        if (s.vote != 0 && n.raft->status().term == s.term) {
            auto it = m_votes.find({id, s.term});
            if (it != m_votes.end() && it->second != s.vote)
                fail("node " + to_string(id) + " holds vote " + to_string(s.vote) + " in term " + to_string(s.term) +
                     " but voted for " + to_string(it->second));
        }
    }
}

bool Simulator::converged()
{
    const uint64_t leader = knownLeader();
    if (leader == 0)
        return false;
    const auto ls = m_nodes[leader]->raft->status();
    if (ls.voters.size() != m_ids.size() || !ls.votersOutgoing.empty())
        return false;  // membership is being restored
    for (auto &[n, data] : m_acked)
        if (!m_appliedProposals.count(data))
            return false;
    for (uint64_t id : m_ids) {
        Node &n = *m_nodes[id];
        if (!n.raft)
            return false;
        auto s = n.raft->status();
        if (s.leader != leader || s.term != ls.term || n.smIndex != ls.commit || s.commit != ls.commit)
            return false;
    }
    // The leader's commit covers an entry of its own term (its NOOP at least).
    return ls.commit >= ls.lastIndex;
}

} // namespace skiff::raft::sim
