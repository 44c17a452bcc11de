#pragma once
// Internal: what other threads may need to know about a thread that uses tracked locks — its
// name for reports, and which lock it is waiting for (read by the stall watchdog). Records come
// from a pool that is never freed; a record is recycled when its thread exits.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace skiff::sync::detail {

class LockClass;
struct HolderSlot;

struct ThreadRecord {
    std::atomic<bool> inUse{false};
    std::atomic<int64_t> tid{0};

    // Published by the thread while it blocks in a contended acquisition; waitSlot is the
    // flag (set last, cleared first).
    std::atomic<LockClass *> waitClass{nullptr};
    std::atomic<HolderSlot *> waitSlot{nullptr};
    std::atomic<int64_t> waitSinceNs{0}; // FastClock
    std::atomic<const char *> waitFile{nullptr};
    std::atomic<uint32_t> waitLine{0};

    // "ready-loop [tid 4242]"
    std::string displayName() const;
    void setName(std::string name, bool isExplicit);
    bool hasExplicitName() const;

private:
    mutable std::mutex m_nameMutex; // names are read on slow paths only (reports, snapshots)
    std::string m_name;
    bool m_explicitName = false;
};

// The calling thread's record, created on first use and recycled when the thread exits.
ThreadRecord *currentThreadRecord();
// Re-reads the OS thread name (pthread_getname_np; QThread sets it from objectName) unless a
// name was set explicitly with setCurrentThreadName().
void refreshCurrentThreadName();
ThreadRecord *allocateThreadRecord();
// Calls f(const ThreadRecord &) for every record in use, under the pool mutex.
void forEachThreadRecord(const std::function<void(const ThreadRecord &)> &f);
void releaseThreadRecord(ThreadRecord *record);

} // namespace skiff::sync::detail
