#pragma once
// When a client connection of the Kafka listener or the admin socket has outstayed: a request
// frame whose first byte came more than socket.request.timeout.ms ago and is still not whole (a
// client that stalls, or trickles bytes to hold memory), or a connection with nothing received,
// sent or in flight for its listener's idle limit (connections.max.idle.ms,
// admin.connections.max.idle.ms), or a TLS connection whose handshake is not done within
// ssl.handshake.timeout.ms of its accept (a plaintext client on a TLS port that waits for an
// answer, or one that stalls mid-handshake). Pure: each listener sweeps its connections with it.

#include <chrono>
#include <optional>

namespace skiff::core {

struct ConnectionTimeouts {
    std::chrono::milliseconds request{30000};
    std::chrono::milliseconds idle{600000};
    std::chrono::milliseconds handshake{10000};

    // How often a listener checks: a deadline is overrun by at most a quarter of the shorter one,
    // checked no more often than every 10 ms and at least every second.
    std::chrono::milliseconds sweepInterval() const;
};

struct ConnectionActivity {
    using TimePoint = std::chrono::steady_clock::time_point;
    std::optional<TimePoint> frameStartedAt;   // first byte of a request frame not yet whole
    TimePoint lastActivity;                    // last byte received or sent
    bool awaitingAnswers = false;              // requests read and not answered yet
    std::optional<TimePoint> handshakeStartedAt;   // accepted on a TLS listener, handshake not done
};

enum class ConnectionExpiry { None, HandshakeTimeout, RequestTimeout, Idle };

// A connection that waits for its own answers is not idle, and one in the middle of a frame is
// judged by the request timeout, not the idle limit.
ConnectionExpiry expiryOf(const ConnectionTimeouts &timeouts, const ConnectionActivity &activity,
                          ConnectionActivity::TimePoint now);

} // namespace skiff::core
