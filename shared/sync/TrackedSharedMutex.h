#pragma once
// A std::shared_mutex with the same tracking as TrackedMutex. Shared (reader) acquisitions count
// in the statistics and in the lock order like exclusive ones: a reader taking "state" then
// "raft" against a writer taking "raft" then "state" is the inversion that froze our
// predecessor.

#include "sync/LockHooks.h"
#include "sync/SourceSite.h"
#include "sync/ThreadAnnotations.h"

#include <shared_mutex>
#include <string_view>

namespace skiff::sync {

class CAPABILITY("mutex") TrackedSharedMutex {
public:
    explicit TrackedSharedMutex(std::string_view className);
    ~TrackedSharedMutex();
    TrackedSharedMutex(const TrackedSharedMutex &) = delete;
    TrackedSharedMutex &operator=(const TrackedSharedMutex &) = delete;

    void lock(SourceSite site = SourceSite::current()) ACQUIRE();
    bool try_lock(SourceSite site = SourceSite::current()) TRY_ACQUIRE(true);
    void unlock() RELEASE();

    void lock_shared(SourceSite site = SourceSite::current()) ACQUIRE_SHARED();
    bool try_lock_shared(SourceSite site = SourceSite::current()) TRY_ACQUIRE_SHARED(true);
    void unlock_shared() RELEASE_SHARED();

    const char *className() const { return detail::lockClassName(m_ref); }

private:
    std::shared_mutex m_mutex;
    detail::LockRef m_ref;
};

} // namespace skiff::sync
