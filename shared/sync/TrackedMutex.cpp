#include "sync/TrackedMutex.h"

namespace skiff::sync {

TrackedMutex::TrackedMutex(std::string_view className) : m_ref(detail::registerLockInstance(className)) {}

TrackedMutex::~TrackedMutex()
{
    detail::unregisterLockInstance(m_ref);
}

void TrackedMutex::lock(SourceSite site)
{
    detail::beforeAcquire(m_ref, site, true);
    // Try first: only a failed try is "contended", and only then is the wait published and timed.
    if (m_mutex.try_lock()) {
        detail::afterAcquire(m_ref, site, -1);
        return;
    }
    const int64_t waitStart = detail::beginWait(m_ref, site);
    m_mutex.lock();
    detail::afterAcquire(m_ref, site, waitStart);
}

bool TrackedMutex::try_lock(SourceSite site)
{
    detail::beforeAcquire(m_ref, site, false);
    if (!m_mutex.try_lock())
        return false;
    detail::afterAcquire(m_ref, site, -1);
    return true;
}

void TrackedMutex::unlock()
{
    detail::beforeRelease(m_ref);
    m_mutex.unlock();
}

} // namespace skiff::sync
