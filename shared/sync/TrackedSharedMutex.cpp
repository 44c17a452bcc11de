#include "sync/TrackedSharedMutex.h"

namespace skiff::sync {

using detail::LockMode;

TrackedSharedMutex::TrackedSharedMutex(std::string_view className)
    : m_ref(detail::registerLockInstance(className))
{
}

TrackedSharedMutex::~TrackedSharedMutex()
{
    detail::unregisterLockInstance(m_ref);
}

void TrackedSharedMutex::lock(SourceSite site)
{
    detail::beforeAcquire(m_ref, site, LockMode::Exclusive, true);
    if (m_mutex.try_lock()) {
        detail::afterAcquire(m_ref, site, LockMode::Exclusive, -1);
        return;
    }
    const int64_t waitStart = detail::beginWait(m_ref, site);
    m_mutex.lock();
    detail::afterAcquire(m_ref, site, LockMode::Exclusive, waitStart);
}

bool TrackedSharedMutex::try_lock(SourceSite site)
{
    detail::beforeAcquire(m_ref, site, LockMode::Exclusive, false);
    if (!m_mutex.try_lock())
        return false;
    detail::afterAcquire(m_ref, site, LockMode::Exclusive, -1);
    return true;
}

void TrackedSharedMutex::unlock()
{
    detail::beforeRelease(m_ref, LockMode::Exclusive);
    m_mutex.unlock();
}

void TrackedSharedMutex::lock_shared(SourceSite site)
{
    detail::beforeAcquire(m_ref, site, LockMode::Shared, true);
    if (m_mutex.try_lock_shared()) {
        detail::afterAcquire(m_ref, site, LockMode::Shared, -1);
        return;
    }
    const int64_t waitStart = detail::beginWait(m_ref, site);
    m_mutex.lock_shared();
    detail::afterAcquire(m_ref, site, LockMode::Shared, waitStart);
}

bool TrackedSharedMutex::try_lock_shared(SourceSite site)
{
    detail::beforeAcquire(m_ref, site, LockMode::Shared, false);
    if (!m_mutex.try_lock_shared())
        return false;
    detail::afterAcquire(m_ref, site, LockMode::Shared, -1);
    return true;
}

void TrackedSharedMutex::unlock_shared()
{
    detail::beforeRelease(m_ref, LockMode::Shared);
    m_mutex.unlock_shared();
}

} // namespace skiff::sync
