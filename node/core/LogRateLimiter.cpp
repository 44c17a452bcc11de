#include "core/LogRateLimiter.h"

#include <cstdio>

namespace skiff::core {
namespace {

// Where the keys past maxKeys go: one flood of many reasons still logs one line per interval.
const std::string kOverflowKey = "(more distinct reasons than the limiter tracks)";

} // namespace

LogRateLimiter::LogRateLimiter(std::chrono::milliseconds interval, Now now, size_t maxKeys)
    : m_interval(interval), m_now(std::move(now)), m_maxKeys(maxKeys < 1 ? 1 : maxKeys)
{
}

std::string LogRateLimiter::summary(const std::string &text, uint64_t count, Clock::time_point since,
                                    Clock::time_point now, bool lastOfThem) const
{
    const double seconds = std::chrono::duration<double>(now - since).count();
    char tail[96];
    std::snprintf(tail, sizeof tail, " (%s%llu more like this in the last %.1f s)", lastOfThem ? "the last of " : "",
                  static_cast<unsigned long long>(count), seconds);
    return text + tail;
}

std::optional<LogRateLimiter::Line> LogRateLimiter::admit(const std::string &key, const std::string &text, int severity)
{
    const Clock::time_point now = m_now();
    auto it = m_keys.find(key);
    if (it == m_keys.end()) {
        if (m_keys.size() >= m_maxKeys)
            forgetQuietKeys(now);
        if (m_keys.size() >= m_maxKeys && key != kOverflowKey)
            return admit(kOverflowKey, text, severity);
        m_keys.emplace(key, KeyState{now, 0, {}});
        return Line{severity, text};
    }
    KeyState &state = it->second;
    if (now - state.windowStart < m_interval) {
        ++state.heldBack;
        ++m_heldBackTotal;
        state.lastHeldBack = Line{severity, text};
        return std::nullopt;
    }
    Line line{severity, state.heldBack ? summary(text, state.heldBack, state.windowStart, now, false) : text};
    state = KeyState{now, 0, {}};
    return line;
}

std::vector<LogRateLimiter::Line> LogRateLimiter::flushDue()
{
    const Clock::time_point now = m_now();
    std::vector<Line> out;
    for (auto it = m_keys.begin(); it != m_keys.end();) {
        KeyState &state = it->second;
        if (now - state.windowStart < m_interval) {
            ++it;
            continue;
        }
        if (state.heldBack == 0) {
            it = m_keys.erase(it);   // quiet for a whole interval: its next line is a first line again
            continue;
        }
        out.push_back({state.lastHeldBack.severity,
                       summary(state.lastHeldBack.text, state.heldBack, state.windowStart, now, true)});
        state = KeyState{now, 0, {}};
        ++it;
    }
    return out;
}

std::optional<LogRateLimiter::Clock::time_point> LogRateLimiter::nextDue() const
{
    std::optional<Clock::time_point> due;
    for (const auto &[key, state] : m_keys)
        if (state.heldBack > 0 && (!due || state.windowStart + m_interval < *due))
            due = state.windowStart + m_interval;
    return due;
}

void LogRateLimiter::forgetQuietKeys(Clock::time_point now)
{
    std::erase_if(m_keys, [&](const auto &entry) {
        return entry.second.heldBack == 0 && now - entry.second.windowStart >= m_interval;
    });
}

} // namespace skiff::core
