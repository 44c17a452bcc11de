// Must compile cleanly under clang -Wthread-safety -Werror: the usual patterns, correctly locked.

#include "sync/ThreadAnnotations.h"
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"

#include <cstdint>

namespace example {

using namespace skiff::sync;

class RaftNode {
public:
    void appendEntry(int64_t term) EXCLUDES(m_raftMutex)
    {
        TrackedLock lock(m_raftMutex);
        m_lastTerm = term;
        applyLocked();
    }

    int64_t committed() const EXCLUDES(m_stateMutex)
    {
        TrackedLock lock(m_stateMutex);
        return m_committed;
    }

    void relock()
    {
        TrackedLock lock(m_raftMutex);
        ++m_lastTerm;
        lock.unlock();
        lock.lock();
        ++m_lastTerm;
    }

    bool tryBump()
    {
        if (!m_raftMutex.try_lock())
            return false;
        ++m_lastTerm;
        m_raftMutex.unlock();
        return true;
    }

private:
    void applyLocked() REQUIRES(m_raftMutex)
    {
        TrackedLock state(m_stateMutex);
        m_committed = m_lastTerm;
    }

    TrackedMutex m_raftMutex{"raft"};
    mutable TrackedMutex m_stateMutex ACQUIRED_AFTER(m_raftMutex){"state"};
    int64_t m_lastTerm GUARDED_BY(m_raftMutex) = 0;
    int64_t m_committed GUARDED_BY(m_stateMutex) = 0;
};

} // namespace example

int main()
{
    example::RaftNode node;
    node.appendEntry(1);
    node.relock();
    return node.tryBump() && node.committed() == 1 ? 0 : 1;
}
