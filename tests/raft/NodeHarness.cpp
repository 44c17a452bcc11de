#include "NodeHarness.h"

#include <stdexcept>

namespace skiff::raft::test {

NodeHarness::NodeHarness(uint64_t id, const std::vector<uint64_t> &voters, const std::vector<uint64_t> &terms,
                         uint64_t term, uint64_t commit, std::function<void(Config &)> tweak)
{
    ConfState cs;
    for (uint64_t v : voters)
        cs.add_voters(v);
    m_storage = MemoryStorage(cs);
    std::vector<Entry> ents;
    for (size_t i = 0; i < terms.size(); ++i) {
        Entry e;
        e.set_index(i + 1);
        e.set_term(terms[i]);
        e.set_type(ENTRY_NORMAL);
        e.set_data("e" + std::to_string(i + 1));
        ents.push_back(e);
    }
    (void)m_storage.append(ents);
    HardState hs;
    hs.set_term(term);
    hs.set_commit(commit);
    m_storage.setHardState(hs);
    Config c;
    c.id = id;
    c.storage = &m_storage;
    c.randomSeed = 1;
    if (tweak)
        tweak(c);
    auto r = RawNode::create(c);
    if (!r.isOk())
        throw std::runtime_error(r.status().toString());
    m_node = std::move(r).value();
}

std::vector<Message> NodeHarness::drain()
{
    std::vector<Message> out;
    while (m_node->hasReady()) {
        Ready rd = m_node->ready();
        out.insert(out.end(), rd.messages.begin(), rd.messages.end());
        if (rd.snapshot)
            (void)m_storage.applySnapshot(*rd.snapshot);
        (void)m_storage.append(rd.entries);
        if (rd.hardState)
            m_storage.setHardState(*rd.hardState);
        out.insert(out.end(), rd.persistedMessages.begin(), rd.persistedMessages.end());
        applied.insert(applied.end(), rd.committedEntries.begin(), rd.committedEntries.end());
        m_node->advance(rd);
    }
    return out;
}

Message makeMsg(MessageType type, uint64_t from, uint64_t to, uint64_t term)
{
    Message m;
    m.set_type(type);
    m.set_from(from);
    m.set_to(to);
    m.set_term(term);
    return m;
}

std::vector<Message> ofType(const std::vector<Message> &msgs, MessageType type)
{
    std::vector<Message> out;
    for (auto &m : msgs)
        if (m.type() == type)
            out.push_back(m);
    return out;
}

} // namespace skiff::raft::test
