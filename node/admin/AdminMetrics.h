#pragma once
// What the admin socket counts for /metrics: open connections and why connections closed.
// Recorded on the admin thread, read from any thread.

#include <array>
#include <atomic>
#include <cstdint>

namespace skiff::admin {

// Label values of skiff_admin_connections_closed_total.
enum class AdminCloseReason {
    Client,           // the client closed it
    MalformedFrame,   // a frame that is not an admin request
    SlowReader,       // it left too many answers unread
    RequestTimeout,   // a frame not whole within socket.request.timeout.ms
    Idle,             // nothing received, sent or in flight for admin.connections.max.idle.ms
};
inline constexpr int kAdminCloseReasons = 5;
const char *adminCloseReasonName(AdminCloseReason reason);

struct AdminMetrics {
    std::atomic<int64_t> connections{0};
    std::array<std::atomic<uint64_t>, kAdminCloseReasons> connectionsClosed{};

    void closed(AdminCloseReason reason) { ++connectionsClosed[size_t(reason)]; }
};

} // namespace skiff::admin
