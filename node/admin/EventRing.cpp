#include "admin/EventRing.h"

namespace skiff::admin {

EventRing::EventRing(std::string incarnationId, size_t capacity)
    : m_incarnationId(std::move(incarnationId)), m_capacity(capacity ? capacity : 1)
{
}

const Event &EventRing::record(Event event)
{
    event.set_sequence(m_nextSequence++);
    event.set_incarnation_id(m_incarnationId);
    if (m_events.size() == m_capacity) {
        m_events.pop_front();
        ++m_dropped;
    }
    m_events.push_back(std::move(event));
    return m_events.back();
}

EventHistory EventRing::history() const
{
    EventHistory out;
    out.set_capacity(uint32_t(m_capacity));
    out.set_dropped(m_dropped);
    for (const Event &e : m_events)
        *out.add_events() = e;
    return out;
}

} // namespace skiff::admin
