#pragma once
// admin.token enforcement for one admin connection. Mutating requests must carry the node's
// token; a wrong or missing one is refused, and the answer to the k-th refusal in a row waits
// min(100 ms * 2^(k-1), 5 s): the connection reads nothing meanwhile (AdminConnection), so
// guessing on one connection costs seconds per guess instead of microseconds, pipelined or not.
// The right token resets the count. The first refusal of a connection is logged with the peer;
// later ones are counted and summed up every kSummaryEvery refusals and when the connection goes.

#include "admin.pb.h"

#include <QString>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace skiff::admin {

class AdminTokenGate {
public:
    static constexpr std::chrono::milliseconds kFirstDelay{100};
    static constexpr std::chrono::milliseconds kMaxDelay{5000};
    static constexpr uint64_t kSummaryEvery = 100;

    // `expected` empty: no token is configured and every request is admitted.
    AdminTokenGate(std::string expected, QString peer);
    ~AdminTokenGate();   // logs the refusals not logged yet
    AdminTokenGate(const AdminTokenGate &) = delete;
    AdminTokenGate &operator=(const AdminTokenGate &) = delete;

    // True when `request` may run: not a mutation, no token configured, or the right token.
    // Requests of another protocol version are admitted: the handler refuses those itself.
    bool admits(const Request &request);

    // How long the answer to the latest refusal waits.
    std::chrono::milliseconds refusalDelay() const { return delayAfter(m_consecutiveRefusals); }

    // The delay schedule: none before any refusal, then doubling from kFirstDelay up to kMaxDelay.
    static std::chrono::milliseconds delayAfter(uint64_t consecutiveRefusals);

private:
    void logRefusal(const Request &request);

    const bool m_tokenRequired;
    const std::string m_expected;   // compared with secretEquals (common/SecretCompare.h)
    const QString m_peer;
    uint64_t m_consecutiveRefusals = 0;
    uint64_t m_refusals = 0;         // on this connection, in all
    uint64_t m_loggedRefusals = 0;   // of m_refusals, already in the log (one by one or summed up)
};

} // namespace skiff::admin
