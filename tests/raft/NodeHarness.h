#pragma once
// One RawNode over a MemoryStorage preloaded with a log and hard state, driven by hand: the test
// steps crafted messages in and inspects what comes out. For rule-by-rule (paper) tests.

#include "raft/MemoryStorage.h"
#include "raft/RawNode.h"

#include <functional>
#include <memory>
#include <vector>

namespace skiff::raft::test {

class NodeHarness {
public:
    // terms[i] is the term of entry i+1; the hard state is (term, vote 0, commit).
    NodeHarness(uint64_t id, const std::vector<uint64_t> &voters, const std::vector<uint64_t> &terms = {},
                uint64_t term = 0, uint64_t commit = 0, std::function<void(Config &)> tweak = {});

    RawNode &node() { return *m_node; }
    MemoryStorage &storage() { return m_storage; }
    // Handles the pending Ready completely (persist, collect messages, advance); returns every
    // message it produced (immediate ones first) and stores committed entries in applied.
    std::vector<Message> drain();
    Status step(const Message &m) { return m_node->step(m); }
    uint64_t term() const { return m_node->status().term; }
    std::vector<Entry> applied;

private:
    MemoryStorage m_storage;
    std::unique_ptr<RawNode> m_node;
};

Message makeMsg(MessageType type, uint64_t from, uint64_t to, uint64_t term);
std::vector<Message> ofType(const std::vector<Message> &msgs, MessageType type);

} // namespace skiff::raft::test
