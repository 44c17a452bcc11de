#pragma once
// What the admin socket counts for /metrics: open connections, why connections closed, and the
// mutations refused for want of what admin.mutation.auth asks.
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
    TlsHandshake,     // admin.ssl.enable: a plaintext client, a failed handshake, or none within ssl.handshake.timeout.ms
};
inline constexpr int kAdminCloseReasons = 6;
const char *adminCloseReasonName(AdminCloseReason reason);

struct AdminMetrics {
    std::atomic<int64_t> connections{0};
    std::array<std::atomic<uint64_t>, kAdminCloseReasons> connectionsClosed{};
    std::atomic<uint64_t> mutationsRefused{0};

    void closed(AdminCloseReason reason) { ++connectionsClosed[size_t(reason)]; }
};

} // namespace skiff::admin
