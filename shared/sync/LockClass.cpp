#include "sync/LockClass.h"

namespace skiff::sync::detail {

LockClass::LockClass(uint32_t id, std::string name) : m_id(id), m_name(std::move(name))
{
    for (auto &word : m_checkedSuccessors)
        word.store(0, std::memory_order_relaxed);
}

HolderSlot *LockClass::allocateSlot()
{
    std::lock_guard guard(m_slotMutex);
    HolderSlot *slot;
    if (!m_freeSlots.empty()) {
        slot = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        slot = &m_slots.emplace_back();
    }
    slot->holder.store(nullptr, std::memory_order_relaxed);
    slot->inUse = true;
    return slot;
}

void LockClass::freeSlot(HolderSlot *slot)
{
    std::lock_guard guard(m_slotMutex);
    slot->inUse = false;
    slot->holder.store(nullptr, std::memory_order_relaxed);
    m_freeSlots.push_back(slot);
}

} // namespace skiff::sync::detail
