#include "sync/LoopHandle.h"
#include "sync/LoopState.h"
#include "sync/ThreadRecord.h"

#include <chrono>

namespace skiff::sync {

namespace detail {
int64_t steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace detail

LoopHandle::LoopHandle(std::shared_ptr<detail::LoopState> state) : m_state(std::move(state)) {}

LoopHandle::~LoopHandle()
{
    unregister();
}

LoopHandle &LoopHandle::operator=(LoopHandle &&other) noexcept
{
    if (this != &other) {
        unregister();
        m_state = std::move(other.m_state);
    }
    return *this;
}

void LoopHandle::beat()
{
    if (!m_state)
        return;
    m_state->thread.store(detail::currentThreadRecord(), std::memory_order_relaxed);
    m_state->beats.fetch_add(1, std::memory_order_relaxed);
    m_state->lastBeatNs.store(detail::steadyNowNs(), std::memory_order_release);
}

void LoopHandle::unregister()
{
    if (m_state)
        m_state->registered.store(false, std::memory_order_release);
}

bool LoopHandle::isRegistered() const
{
    return m_state && m_state->registered.load(std::memory_order_acquire);
}

std::string LoopHandle::name() const
{
    return m_state ? m_state->name : std::string();
}

} // namespace skiff::sync
