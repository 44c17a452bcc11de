#include "core/RateLimitedLog.h"

namespace skiff::core {
namespace {

std::array<std::atomic<uint64_t>, kLogFloods.size()> g_suppressed{};

size_t indexOf(LogFlood flood) { return static_cast<size_t>(flood); }

} // namespace

const char *logFloodName(LogFlood flood)
{
    switch (flood) {
    case LogFlood::KafkaConnection: return "kafka_connection";
    case LogFlood::AppendFailed: return "append_failed";
    case LogFlood::RaftMessageRefused: return "raft_message_refused";
    case LogFlood::AuthorizationDenied: return "authorization_denied";
    case LogFlood::PeerLinkRefused: return "peer_link_refused";
    case LogFlood::ReplicaFetch: return "replica_fetch";
    case LogFlood::AdminConnection: return "admin_connection";
    }
    return "unknown";
}

uint64_t suppressedLogLines(LogFlood flood) { return g_suppressed[indexOf(flood)].load(std::memory_order_relaxed); }

RateLimitedLog::RateLimitedLog(LogFlood flood, QMessageLogger::CategoryFunction category, QObject *parent,
                               std::chrono::milliseconds interval, LogRateLimiter::Now now)
    : QObject(parent), m_flood(flood), m_category(category), m_now(std::move(now)), m_limiter(interval, m_now), m_flushTimer(this)
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &RateLimitedLog::flush);
}

bool RateLimitedLog::report(QtMsgType type, const std::string &key, const std::string &text)
{
    if (auto line = m_limiter.admit(key, text, int(type))) {
        write(*line);
        return true;
    }
    g_suppressed[indexOf(m_flood)].fetch_add(1, std::memory_order_relaxed);
    armFlush();
    return false;
}

void RateLimitedLog::write(const LogRateLimiter::Line &line) const
{
    switch (QtMsgType(line.severity)) {
    case QtDebugMsg: qCDebug(m_category, "%s", line.text.c_str()); break;
    case QtInfoMsg: qCInfo(m_category, "%s", line.text.c_str()); break;
    case QtWarningMsg: qCWarning(m_category, "%s", line.text.c_str()); break;
    default: qCCritical(m_category, "%s", line.text.c_str()); break;
    }
}

void RateLimitedLog::flush()
{
    for (const auto &line : m_limiter.flushDue())
        write(line);
    armFlush();
}

void RateLimitedLog::armFlush()
{
    if (m_flushTimer.isActive())
        return;
    const auto due = m_limiter.nextDue();
    if (!due)
        return;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*due - m_now());
    m_flushTimer.start(std::max(wait, std::chrono::milliseconds(0)));
}

} // namespace skiff::core
