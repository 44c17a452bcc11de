#pragma once
// A synchronous in-memory cluster for unit and scenario tests: every node's Ready is handled in
// the documented order (persist, send, apply, advance) and messages are delivered until quiet.
// Links can be cut one way or both; nothing is random.

#include "raft/MemoryStorage.h"
#include "raft/RawNode.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace skiff::raft::test {

struct TestNode {
    std::unique_ptr<MemoryStorage> storage;
    std::unique_ptr<RawNode> node;
    std::vector<Entry> applied;  // every committed entry, in apply order
    std::vector<ReadState> readStates;
    ConfState confState;
    std::vector<Status> applyErrors;
};

class TestCluster {
public:
    using Tweak = std::function<void(Config &)>;

    explicit TestCluster(const std::vector<uint64_t> &ids, Tweak tweak = {});

    RawNode &node(uint64_t id) { return *m_nodes.at(id).node; }
    TestNode &testNode(uint64_t id) { return m_nodes.at(id); }
    MemoryStorage &storage(uint64_t id) { return *m_nodes.at(id).storage; }
    std::vector<uint64_t> ids() const;

    // Adds a node that starts empty (to be added by a conf change), or restarts an existing one
    // from its storage (keeping only what it persisted).
    void addNode(uint64_t id, const ConfState &cs);
    void restartNode(uint64_t id);
    void removeNode(uint64_t id) { m_nodes.erase(id); }

    void tick(uint64_t id, int n = 1);
    void tickAll(int n = 1);
    // Handles Readys and delivers messages until nothing moves.
    void stabilize(int maxRounds = 10000);
    // Handles every pending Ready once, queueing (not delivering) messages.
    void handleReadies();
    // Delivers queued messages once (new messages are queued).
    void deliverQueued();

    void cut(uint64_t from, uint64_t to) { m_cut.insert({from, to}); }
    void isolate(uint64_t id);
    void heal() { m_cut.clear(); }

    // The unique leader of the highest term, or 0.
    uint64_t leader() const;
    // Campaigns at id and stabilizes; returns true if id became leader.
    bool elect(uint64_t id);
    // Ticks everyone until some node leads (bounded).
    uint64_t waitForLeader(int maxTicks = 500);

    // Messages that passed through the network, for assertions.
    std::vector<Message> sent;
    // If set, a message is delivered only when the filter returns true.
    std::function<bool(const Message &)> filter;
    bool recordSent = false;
    bool autoReportSnapshot = true;

private:
    void handleReady(uint64_t id);
    void makeNode(uint64_t id);

    Tweak m_tweak;
    std::map<uint64_t, TestNode> m_nodes;
    std::deque<Message> m_queue;
    std::set<std::pair<uint64_t, uint64_t>> m_cut;
};

std::string entryData(const Entry &e);
ConfChange makeChange(ConfChangeType type, uint64_t id);
std::vector<std::string> normalData(const std::vector<Entry> &ents);

} // namespace skiff::raft::test
