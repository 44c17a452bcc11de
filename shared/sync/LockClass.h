#pragma once
// Internal: everything shared by the mutex instances of one class name — statistics, holder
// slots of the live instances, and which order edges from this class the witness has already
// checked. Never destroyed (the registry owns it for the life of the process).

#include "metrics/Histogram.h"
#include "sync/HolderSlot.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace skiff::sync::detail {

class LockClass {
public:
    // Classes beyond this many take no part in the witness (statistics still work); a broker
    // has a few dozen lock classes.
    static constexpr uint32_t kMaxWitnessClasses = 1024;

    LockClass(uint32_t id, std::string name);
    LockClass(const LockClass &) = delete;
    LockClass &operator=(const LockClass &) = delete;

    uint32_t id() const { return m_id; }
    const std::string &name() const { return m_name; }
    bool inWitness() const { return m_id < kMaxWitnessClasses; }

    // Lock-free check on the acquisition path: has "this held while taking class `to`" been
    // seen (and checked) before?
    bool hasCheckedSuccessor(uint32_t to) const
    {
        return m_checkedSuccessors[to / 64].load(std::memory_order_acquire) & (uint64_t(1) << (to % 64));
    }
    void markCheckedSuccessor(uint32_t to)
    {
        m_checkedSuccessors[to / 64].fetch_or(uint64_t(1) << (to % 64), std::memory_order_release);
    }

    HolderSlot *allocateSlot();
    void freeSlot(HolderSlot *slot);
    // Calls f(const HolderSlot &) for every live instance's slot, under the slot mutex.
    template <class F>
    void forEachSlot(F &&f) const
    {
        std::lock_guard guard(m_slotMutex);
        for (const HolderSlot &slot : m_slots) {
            if (slot.inUse)
                f(slot);
        }
    }

    std::atomic<uint64_t> acquisitions{0};
    std::atomic<uint64_t> contended{0};
    metrics::Histogram waitMicros; // contended acquisitions only (the others waited ~0)
    metrics::Histogram holdMicros;

private:
    const uint32_t m_id;
    const std::string m_name;
    std::array<std::atomic<uint64_t>, kMaxWitnessClasses / 64> m_checkedSuccessors{};

    mutable std::mutex m_slotMutex; // taken when a mutex instance is created or destroyed
    std::deque<HolderSlot> m_slots; // deque: stable addresses
    std::vector<HolderSlot *> m_freeSlots;
};

} // namespace skiff::sync::detail
