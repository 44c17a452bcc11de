#include "SimNetwork.h"

namespace skiff::raft::sim {

void SimNetwork::send(const Message &m, uint64_t now)
{
    if (m_rng->chance(m_drop)) {
        ++m_dropped;
        if (m.type() == MSG_SNAP)
            m_droppedSnaps.emplace_back(m.from(), m.to());
        return;
    }
    const int copies = m_rng->chance(m_dup) ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
        const uint64_t due = now + 1 + m_rng->uniform(m_maxDelay + 1);
        m_queue.emplace(std::make_pair(due, m_seq++), m);
    }
}

std::vector<Message> SimNetwork::deliverDue(uint64_t now)
{
    std::vector<Message> out;
    auto it = m_queue.begin();
    while (it != m_queue.end() && it->first.first <= now) {
        const Message &m = it->second;
        if (isCut(m.from(), m.to())) {
            ++m_dropped;
            if (m.type() == MSG_SNAP)
                m_droppedSnaps.emplace_back(m.from(), m.to());
        } else
            out.push_back(std::move(it->second));
        it = m_queue.erase(it);
    }
    return out;
}

} // namespace skiff::raft::sim
