#include "sync/ThreadRecord.h"
#include "sync/ThreadName.h"

#include <deque>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace skiff::sync::detail {

namespace {

class ThreadRecordPool {
public:
    ThreadRecord *allocate()
    {
        std::lock_guard guard(m_mutex);
        ThreadRecord *record;
        if (!m_free.empty()) {
            record = m_free.back();
            m_free.pop_back();
        } else {
            record = &m_records.emplace_back();
        }
        record->inUse.store(true, std::memory_order_relaxed);
        return record;
    }
    void release(ThreadRecord *record)
    {
        record->waitSlot.store(nullptr, std::memory_order_release);
        record->inUse.store(false, std::memory_order_relaxed);
        std::lock_guard guard(m_mutex);
        m_free.push_back(record);
    }

    void forEach(const std::function<void(const ThreadRecord &)> &f)
    {
        std::lock_guard guard(m_mutex);
        for (const ThreadRecord &record : m_records) {
            if (record.inUse.load(std::memory_order_relaxed))
                f(record);
        }
    }

private:
    std::mutex m_mutex;
    std::deque<ThreadRecord> m_records; // deque: stable addresses
    std::vector<ThreadRecord *> m_free;
};

// Leaked on purpose: threads may still exit (and release records) during static destruction.
ThreadRecordPool &pool()
{
    static auto *instance = new ThreadRecordPool;
    return *instance;
}

std::string osThreadName()
{
    char buffer[64] = {};
    if (pthread_getname_np(pthread_self(), buffer, sizeof buffer) != 0 || buffer[0] == '\0')
        return "thread";
    return buffer;
}

// Owns the calling thread's record and gives it back when the thread exits.
struct RecordOwner {
    ThreadRecord *record = nullptr;
    ~RecordOwner()
    {
        if (record)
            releaseThreadRecord(record);
    }
};
thread_local RecordOwner t_owner;

} // namespace

std::string ThreadRecord::displayName() const
{
    std::lock_guard guard(m_nameMutex);
    return m_name + " [tid " + std::to_string(tid.load(std::memory_order_relaxed)) + "]";
}

void ThreadRecord::setName(std::string name, bool isExplicit)
{
    std::lock_guard guard(m_nameMutex);
    m_name = std::move(name);
    m_explicitName = isExplicit;
}

bool ThreadRecord::hasExplicitName() const
{
    std::lock_guard guard(m_nameMutex);
    return m_explicitName;
}

ThreadRecord *allocateThreadRecord()
{
    return pool().allocate();
}

void forEachThreadRecord(const std::function<void(const ThreadRecord &)> &f)
{
    pool().forEach(f);
}

void releaseThreadRecord(ThreadRecord *record)
{
    pool().release(record);
}

ThreadRecord *currentThreadRecord()
{
    if (!t_owner.record) {
        ThreadRecord *record = allocateThreadRecord();
        record->tid.store(int64_t(::syscall(SYS_gettid)), std::memory_order_relaxed);
        record->setName(osThreadName(), false);
        t_owner.record = record;
    }
    return t_owner.record;
}

void refreshCurrentThreadName()
{
    ThreadRecord *record = currentThreadRecord();
    if (!record->hasExplicitName())
        record->setName(osThreadName(), false);
}

} // namespace skiff::sync::detail

namespace skiff::sync {

void setCurrentThreadName(std::string name)
{
    detail::currentThreadRecord()->setName(std::move(name), true);
}

std::string currentThreadDisplayName()
{
    detail::refreshCurrentThreadName();
    return detail::currentThreadRecord()->displayName();
}

} // namespace skiff::sync
