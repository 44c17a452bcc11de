#pragma once
// An immutable list one thread builds and publishes now and then (the kafka thread, about once a
// second) and any thread reads without waiting for it: the admin socket and /metrics. Readers
// keep the list they took for as long as they need it; the lock is held only to swap or copy the
// pointer.

#include "sync/ThreadAnnotations.h"
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"

#include <memory>
#include <string_view>
#include <vector>

namespace skiff::kafka {

template <class Entry>
class PublishedView {
public:
    using Snapshot = std::shared_ptr<const std::vector<Entry>>;

    // `lockName` is the lock's class in the lock statistics ("ReplicationView::mutex").
    explicit PublishedView(std::string_view lockName) : m_mutex(lockName) {}

    void publish(std::vector<Entry> entries)
    {
        auto next = std::make_shared<const std::vector<Entry>>(std::move(entries));
        sync::TrackedLock lock(m_mutex);
        m_entries = std::move(next);
    }
    // Empty until the first publication.
    Snapshot snapshot() const
    {
        sync::TrackedLock lock(m_mutex);
        return m_entries ? m_entries : std::make_shared<const std::vector<Entry>>();
    }

private:
    mutable sync::TrackedMutex m_mutex;
    Snapshot m_entries GUARDED_BY(m_mutex);
};

} // namespace skiff::kafka
