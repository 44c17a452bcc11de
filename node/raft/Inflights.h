#pragma once
// Flow control for one follower in replicate state: the last index of each MsgApp in flight.
// When full, the leader stops sending until acks free slots.

#include <cstddef>
#include <cstdint>
#include <deque>

namespace skiff::raft {

class Inflights {
public:
    explicit Inflights(size_t capacity) : m_capacity(capacity) {}

    void add(uint64_t lastIndex) { m_inflight.push_back(lastIndex); }
    // Frees every message whose last index is <= to (acknowledged).
    void freeLE(uint64_t to)
    {
        while (!m_inflight.empty() && m_inflight.front() <= to)
            m_inflight.pop_front();
    }
    void freeFirstOne()
    {
        if (!m_inflight.empty())
            m_inflight.pop_front();
    }
    bool full() const { return m_inflight.size() >= m_capacity; }
    size_t count() const { return m_inflight.size(); }
    void reset() { m_inflight.clear(); }

private:
    size_t m_capacity;
    std::deque<uint64_t> m_inflight;
};

} // namespace skiff::raft
