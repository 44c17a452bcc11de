#pragma once
// A std::mutex that records per-class statistics, who holds it, and feeds the lock-order
// witness. Instances are grouped by class name: every TrackedMutex named "raft" shares one set
// of statistics and one node in the lock-order graph.
//
//   TrackedMutex m_raftMutex{"raft"};
//   TrackedLock lock(m_raftMutex);   // records this file:line as the acquisition site
//
// Meets BasicLockable/Lockable, so std::condition_variable_any and std::scoped_lock work (the
// site recorded is then inside the standard library; prefer TrackedLock).

#include "sync/LockHooks.h"
#include "sync/SourceSite.h"
#include "sync/ThreadAnnotations.h"

#include <mutex>
#include <string_view>

namespace skiff::sync {

class CAPABILITY("mutex") TrackedMutex {
public:
    explicit TrackedMutex(std::string_view className);
    ~TrackedMutex();
    TrackedMutex(const TrackedMutex &) = delete;
    TrackedMutex &operator=(const TrackedMutex &) = delete;

    void lock(SourceSite site = SourceSite::current()) ACQUIRE();
    bool try_lock(SourceSite site = SourceSite::current()) TRY_ACQUIRE(true);
    void unlock() RELEASE();

    const char *className() const { return detail::lockClassName(m_ref); }

private:
    std::mutex m_mutex;
    detail::LockRef m_ref;
};

} // namespace skiff::sync
