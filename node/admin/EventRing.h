#pragma once
// The node's recent events, kept for subscribers that come later: a dashboard opened after an
// incident is sent what happened (Subscribe with_history, GetEvents). A bounded ring on the admin
// thread; each event gets its sequence number here, so a client sent an event twice (the history
// again after a reconnect) can tell.

#include "admin.pb.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

namespace skiff::admin {

class EventRing {
public:
    EventRing(std::string incarnationId, size_t capacity);

    // Numbers `event` (sequence, incarnation_id) and keeps it, dropping the oldest past the
    // capacity; returns it as kept.
    const Event &record(Event event);
    // Oldest first.
    EventHistory history() const;
    size_t size() const { return m_events.size(); }

private:
    const std::string m_incarnationId;
    const size_t m_capacity;
    std::deque<Event> m_events;
    uint64_t m_nextSequence = 1;
    uint64_t m_dropped = 0;
};

} // namespace skiff::admin
