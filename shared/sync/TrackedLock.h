#pragma once
// RAII exclusive lock on a TrackedMutex that records the caller's file:line as the acquisition
// site. Relockable (lock()/unlock()) so it works with std::condition_variable_any:
//
//   TrackedLock lock(m_mutex);
//   m_cv.wait(lock, [&] { return m_ready; });

#include "sync/SourceSite.h"
#include "sync/ThreadAnnotations.h"
#include "sync/TrackedMutex.h"

namespace skiff::sync {

class SCOPED_CAPABILITY TrackedLock {
public:
    explicit TrackedLock(TrackedMutex &mutex, SourceSite site = SourceSite::current()) ACQUIRE(mutex)
        : m_mutex(mutex), m_site(site)
    {
        m_mutex.lock(m_site);
        m_owns = true;
    }
    ~TrackedLock() RELEASE()
    {
        if (m_owns)
            m_mutex.unlock();
    }
    TrackedLock(const TrackedLock &) = delete;
    TrackedLock &operator=(const TrackedLock &) = delete;

    // Re-acquires at the site given to the constructor (a condition wait re-locks there).
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
    TrackedMutex &m_mutex;
    SourceSite m_site;
    bool m_owns = false;
};

} // namespace skiff::sync
