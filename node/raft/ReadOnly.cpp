#include "raft/ReadOnly.h"

namespace skiff::raft {

void ReadOnly::addRequest(uint64_t index, const Message &m)
{
    const std::string &ctx = m.entries(0).data();
    if (m_pending.count(ctx))
        return;
    m_pending.emplace(ctx, IndexStatus{m, index, {}});
    m_queue.push_back(ctx);
}

const std::set<uint64_t> *ReadOnly::recvAck(uint64_t id, const std::string &ctx)
{
    auto it = m_pending.find(ctx);
    if (it == m_pending.end())
        return nullptr;
    it->second.acks.insert(id);
    return &it->second.acks;
}

std::vector<ReadOnly::IndexStatus> ReadOnly::advance(const std::string &ctx)
{
    std::vector<IndexStatus> out;
    size_t i = 0;
    bool found = false;
    for (; i < m_queue.size(); ++i) {
        if (m_queue[i] == ctx) {
            found = true;
            break;
        }
    }
    if (!found)
        return out;
    for (size_t k = 0; k <= i; ++k) {
        auto it = m_pending.find(m_queue[k]);
        out.push_back(std::move(it->second));
        m_pending.erase(it);
    }
    m_queue.erase(m_queue.begin(), m_queue.begin() + i + 1);
    return out;
}

} // namespace skiff::raft
