#pragma once
// RAII exclusive (writer) lock on a TrackedSharedMutex, recording the caller's file:line.

#include "sync/SourceSite.h"
#include "sync/ThreadAnnotations.h"
#include "sync/TrackedSharedMutex.h"

namespace skiff::sync {

class SCOPED_CAPABILITY TrackedUniqueLock {
public:
    explicit TrackedUniqueLock(TrackedSharedMutex &mutex, SourceSite site = SourceSite::current()) ACQUIRE(mutex)
        : m_mutex(mutex), m_site(site)
    {
        m_mutex.lock(m_site);
        m_owns = true;
    }
    ~TrackedUniqueLock() RELEASE()
    {
        if (m_owns)
            m_mutex.unlock();
    }
    TrackedUniqueLock(const TrackedUniqueLock &) = delete;
    TrackedUniqueLock &operator=(const TrackedUniqueLock &) = delete;

    void lock() ACQUIRE()
    {
        m_mutex.lock(m_site);
        m_owns = true;
    }
    void unlock() RELEASE()
    {
        m_owns = false;
        m_mutex.unlock();
    }
    bool ownsLock() const { return m_owns; }

private:
    TrackedSharedMutex &m_mutex;
    SourceSite m_site;
    bool m_owns = false;
};

} // namespace skiff::sync
