#pragma once
// What Watchdog::registerLoop() returns: the loop's thread calls beat() from a timer (see
// LoopHeartbeat). Move-only; destroying it unregisters the loop.

#include <memory>
#include <string>

namespace skiff::sync {

namespace detail {
struct LoopState;
}

class LoopHandle {
public:
    LoopHandle() = default;
    explicit LoopHandle(std::shared_ptr<detail::LoopState> state);
    ~LoopHandle();
    LoopHandle(LoopHandle &&) noexcept = default;
    LoopHandle &operator=(LoopHandle &&other) noexcept;
    LoopHandle(const LoopHandle &) = delete;
    LoopHandle &operator=(const LoopHandle &) = delete;

    // Call on the loop's own thread: it also tells the watchdog which thread to inspect.
    void beat();
    // Stops watching the loop (idempotent).
    void unregister();
    bool isRegistered() const;
    std::string name() const;

private:
    std::shared_ptr<detail::LoopState> m_state;
};

} // namespace skiff::sync
