#include "TestCluster.h"

#include "raft/EntryDispatch.h"

#include <stdexcept>

namespace skiff::raft::test {

TestCluster::TestCluster(const std::vector<uint64_t> &ids, Tweak tweak) : m_tweak(std::move(tweak))
{
    ConfState cs;
    for (uint64_t id : ids)
        cs.add_voters(id);
    for (uint64_t id : ids) {
        TestNode &n = m_nodes[id];
        n.storage = std::make_unique<MemoryStorage>(cs);
        n.confState = cs;
        makeNode(id);
    }
}

void TestCluster::makeNode(uint64_t id)
{
    TestNode &n = m_nodes.at(id);
    Config c;
    c.id = id;
    c.storage = n.storage.get();
    c.randomSeed = 42;
    if (m_tweak)
        m_tweak(c);
    auto r = RawNode::create(c);
    if (!r.isOk())
        throw std::runtime_error(r.status().toString());
    n.node = std::move(r).value();
}

void TestCluster::addNode(uint64_t id, const ConfState &cs)
{
    TestNode &n = m_nodes[id];
    n.storage = std::make_unique<MemoryStorage>(cs);
    n.confState = cs;
    makeNode(id);
}

void TestCluster::restartNode(uint64_t id)
{
    TestNode &n = m_nodes.at(id);
    n.node.reset();
    n.applied.clear();
    n.readStates.clear();
    makeNode(id);
}

std::vector<uint64_t> TestCluster::ids() const
{
    std::vector<uint64_t> out;
    for (auto &[id, n] : m_nodes)
        out.push_back(id);
    return out;
}

void TestCluster::tick(uint64_t id, int n)
{
    for (int i = 0; i < n; ++i)
        m_nodes.at(id).node->tick();
}

void TestCluster::tickAll(int n)
{
    for (int i = 0; i < n; ++i)
        for (auto &[id, node] : m_nodes)
            node.node->tick();
}

void TestCluster::isolate(uint64_t id)
{
    for (auto &[other, n] : m_nodes) {
        if (other == id)
            continue;
        cut(id, other);
        cut(other, id);
    }
}

void TestCluster::handleReady(uint64_t id)
{
    TestNode &n = m_nodes.at(id);
    if (!n.node->hasReady())
        return;
    Ready rd = n.node->ready();
    for (auto &m : rd.messages)
        m_queue.push_back(m);
    if (rd.snapshot) {
        (void)n.storage->applySnapshot(*rd.snapshot);
        n.confState = rd.snapshot->metadata().conf_state();
        n.applied.clear();  // the state machine is replaced by the snapshot image
    }
    (void)n.storage->append(rd.entries);
    if (rd.hardState)
        n.storage->setHardState(*rd.hardState);
    for (auto &m : rd.persistedMessages)
        m_queue.push_back(m);
    EntryHandlers h;
    h.onNormal = [&](const Entry &) { return Status::ok(); };
    h.onNoop = [&](const Entry &) { return Status::ok(); };
    h.onConfChange = [&](const Entry &, const ConfChange &cc) {
        auto cs = n.node->applyConfChange(cc);
        if (!cs.isOk())
            return cs.status();
        n.confState = cs.value();
        return Status::ok();
    };
    for (const Entry &e : rd.committedEntries) {
        Status s = dispatchEntry(e, h);
        if (!s.isOk())
            n.applyErrors.push_back(s);
        n.applied.push_back(e);
    }
    for (auto &rs : rd.readStates)
        n.readStates.push_back(rs);
    n.node->advance(rd);
}

void TestCluster::handleReadies()
{
    for (uint64_t id : ids())
        handleReady(id);
}

void TestCluster::deliverQueued()
{
    std::deque<Message> batch;
    batch.swap(m_queue);
    for (Message &m : batch) {
        if (m_cut.count({m.from(), m.to()}))
            continue;
        if (filter && !filter(m))
            continue;
        auto it = m_nodes.find(m.to());
        if (it == m_nodes.end())
            continue;
        if (recordSent)
            sent.push_back(m);
        (void)it->second.node->step(m);
        if (m.type() == MSG_SNAP && autoReportSnapshot) {
            // The receiver applies snapshots synchronously here; tell the sender right away.
            auto from = m_nodes.find(m.from());
            if (from != m_nodes.end())
                from->second.node->reportSnapshot(m.to(), true);
        }
    }
}

void TestCluster::stabilize(int maxRounds)
{
    for (int round = 0; round < maxRounds; ++round) {
        bool any = false;
        for (auto &[id, n] : m_nodes)
            any = any || n.node->hasReady();
        if (!any && m_queue.empty())
            return;
        handleReadies();
        deliverQueued();
    }
}

uint64_t TestCluster::leader() const
{
    uint64_t best = 0, bestTerm = 0;
    for (auto &[id, n] : m_nodes) {
        auto s = n.node->status();
        if (s.role == Role::Leader && s.term >= bestTerm) {
            best = id;
            bestTerm = s.term;
        }
    }
    return best;
}

bool TestCluster::elect(uint64_t id)
{
    (void)node(id).campaign();
    stabilize();
    return node(id).status().role == Role::Leader;
}

uint64_t TestCluster::waitForLeader(int maxTicks)
{
    for (int i = 0; i < maxTicks; ++i) {
        tickAll();
        stabilize();
        if (uint64_t l = leader())
            return l;
    }
    return 0;
}

std::string entryData(const Entry &e) { return e.data(); }

ConfChange makeChange(ConfChangeType type, uint64_t id)
{
    ConfChange cc;
    auto *c = cc.add_changes();
    c->set_type(type);
    c->set_node_id(id);
    return cc;
}

std::vector<std::string> normalData(const std::vector<Entry> &ents)
{
    std::vector<std::string> out;
    for (const Entry &e : ents)
        if (e.type() == ENTRY_NORMAL)
            out.push_back(e.data());
    return out;
}

} // namespace skiff::raft::test
