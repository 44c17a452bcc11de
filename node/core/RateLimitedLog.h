#pragma once
// A log site that can repeat without bound (a refusal per connection, a failure per append, a
// refusal per Raft message) writes through one of these: a LogRateLimiter on the owner's event
// loop, whose held-back lines are summed up by a timer once their interval is over, and counted
// per category for /metrics (skiff_log_lines_suppressed_total). Use it from the thread it lives on.

#include "core/LogRateLimiter.h"

#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>

namespace skiff::core {

// Label values of skiff_log_lines_suppressed_total: one per kind of flood.
enum class LogFlood {
    KafkaConnection,   // Kafka connections closed: refused requests, bad frames, timeouts, idle
    AppendFailed,      // appends to a partition log that failed (a full or failing disk)
    RaftMessageRefused, // Raft messages from a peer this node cannot take (a stuck or faulty follower)
    AuthorizationDenied, // Kafka requests the authorizer denied (a client without the ACLs it needs)
    PeerLinkRefused,   // raft-port connections closed before they said which node they are (scans, bad TLS)
    ReplicaFetch,      // a follower's connection to its leader failed (refused login, leader down), retried with backoff
    AdminConnection,   // admin connections closed in or for want of a TLS handshake (admin.ssl.enable)
};
inline constexpr std::array<LogFlood, 7> kLogFloods = {LogFlood::KafkaConnection, LogFlood::AppendFailed,
                                                       LogFlood::RaftMessageRefused, LogFlood::AuthorizationDenied,
                                                       LogFlood::PeerLinkRefused, LogFlood::ReplicaFetch,
                                                       LogFlood::AdminConnection};
const char *logFloodName(LogFlood flood);
// Lines held back so far in this process; any thread.
uint64_t suppressedLogLines(LogFlood flood);

class RateLimitedLog : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultInterval{10000};

    RateLimitedLog(LogFlood flood, QMessageLogger::CategoryFunction category, QObject *parent,
                   std::chrono::milliseconds interval = kDefaultInterval, LogRateLimiter::Now now = &LogRateLimiter::Clock::now);

    // True when the line was written now, false when it was held back.
    bool info(const std::string &key, const std::string &text) { return report(QtInfoMsg, key, text); }
    bool warning(const std::string &key, const std::string &text) { return report(QtWarningMsg, key, text); }
    bool critical(const std::string &key, const std::string &text) { return report(QtCriticalMsg, key, text); }

private:
    bool report(QtMsgType type, const std::string &key, const std::string &text);
    void write(const LogRateLimiter::Line &line) const;
    void flush();
    void armFlush();

    const LogFlood m_flood;
    const QMessageLogger::CategoryFunction m_category;
    const LogRateLimiter::Now m_now;
    LogRateLimiter m_limiter;
    QTimer m_flushTimer;
};

} // namespace skiff::core
