#include "kafka/server/RequestReadBudget.h"

#include <algorithm>
#include <vector>

namespace skiff::kafka {

RequestReadBudget::RequestReadBudget(int64_t limit, ReadBudgetGauges &gauges) : m_limit(limit), m_gauges(gauges) {}

void RequestReadBudget::frameStarted(Reader *reader, int64_t size)
{
    frameEnded(reader);   // a reader has one frame at a time
    const uint64_t sequence = m_nextSequence++;
    m_frames[reader] = Frame{sequence, size, 0};
    if (size > kSmallFrameBytes)
        m_largeByAge.emplace(sequence, reader);
}

bool RequestReadBudget::isOldestLarge(const Reader *reader, const Frame &frame) const
{
    return !m_largeByAge.empty() && m_largeByAge.begin()->first == frame.sequence && m_largeByAge.begin()->second == reader;
}

int64_t RequestReadBudget::mayRead(Reader *reader, int64_t wanted)
{
    auto it = m_frames.find(reader);
    if (it == m_frames.end() || wanted <= 0)
        return 0;
    const Frame &frame = it->second;
    if (frame.size <= kSmallFrameBytes || isOldestLarge(reader, frame))
        return wanted;
    if (m_bytes < m_limit)
        return std::min(wanted, m_limit - m_bytes);
    if (m_waiting.insert(reader).second) {
        m_gauges.pausedConnections.store(int64_t(m_waiting.size()), std::memory_order_relaxed);
        m_gauges.pauses.fetch_add(1, std::memory_order_relaxed);
    }
    return 0;
}

void RequestReadBudget::received(Reader *reader, int64_t bytes)
{
    auto it = m_frames.find(reader);
    if (it == m_frames.end())
        return;
    it->second.received += bytes;
    m_bytes += bytes;
    m_gauges.bytesBeingRead.store(m_bytes, std::memory_order_relaxed);
}

void RequestReadBudget::frameEnded(Reader *reader)
{
    if (m_waiting.erase(reader))
        m_gauges.pausedConnections.store(int64_t(m_waiting.size()), std::memory_order_relaxed);
    auto it = m_frames.find(reader);
    if (it == m_frames.end())
        return;
    const bool wasOldestLarge = isOldestLarge(reader, it->second);
    m_largeByAge.erase(it->second.sequence);
    m_bytes -= it->second.received;
    m_frames.erase(it);
    m_gauges.bytesBeingRead.store(m_bytes, std::memory_order_relaxed);
    // Room was made, or another frame is now the oldest (and may go on whatever the room).
    if (m_bytes < m_limit || wasOldestLarge)
        wakeWaiting();
}

void RequestReadBudget::wakeWaiting()
{
    if (m_waiting.empty())
        return;
    const std::vector<Reader *> waiting(m_waiting.begin(), m_waiting.end());
    m_waiting.clear();
    m_gauges.pausedConnections.store(0, std::memory_order_relaxed);
    for (Reader *reader : waiting)
        reader->readBudgetAvailable();
}

} // namespace skiff::kafka
