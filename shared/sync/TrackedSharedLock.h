#pragma once
// RAII shared (reader) lock on a TrackedSharedMutex, recording the caller's file:line.

#include "sync/SourceSite.h"
#include "sync/ThreadAnnotations.h"
#include "sync/TrackedSharedMutex.h"

namespace skiff::sync {

class SCOPED_CAPABILITY TrackedSharedLock {
public:
    explicit TrackedSharedLock(TrackedSharedMutex &mutex, SourceSite site = SourceSite::current())
        ACQUIRE_SHARED(mutex)
        : m_mutex(mutex), m_site(site)
    {
        m_mutex.lock_shared(m_site);
        m_owns = true;
    }
    ~TrackedSharedLock() RELEASE()
    {
        if (m_owns)
            m_mutex.unlock_shared();
    }
    TrackedSharedLock(const TrackedSharedLock &) = delete;
    TrackedSharedLock &operator=(const TrackedSharedLock &) = delete;

    void lock() ACQUIRE_SHARED()
    {
        m_mutex.lock_shared(m_site);
        m_owns = true;
    }
    void unlock() RELEASE()
    {
        m_owns = false;
        m_mutex.unlock_shared();
    }
    bool ownsLock() const { return m_owns; }

private:
    TrackedSharedMutex &m_mutex;
    SourceSite m_site;
    bool m_owns = false;
};

} // namespace skiff::sync
