#pragma once
// Keeps one repeated log line from flooding the log. Lines are grouped by a key that names the
// site and the reason ("refused: unsupported version"), never the peer, so a flood from many
// addresses is one flood. The first line of a key is logged; after it, at most one line per
// interval per key, saying how many like it were held back ("... (199 more like this in the last
// 10.0 s)"). Lines held back when the flood stops are summed up by flushDue() once their interval
// is over, so no flood goes unmentioned. Pure and single-threaded: the clock is injected;
// RateLimitedLog puts it on an event loop.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::core {

class LogRateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;

    // A line to write, at the severity it was reported with (the caller's own scale).
    struct Line {
        int severity = 0;
        std::string text;
    };

    // Past maxKeys distinct keys in one interval, new keys share one key: memory stays bounded
    // whatever a flood puts into its keys.
    explicit LogRateLimiter(std::chrono::milliseconds interval, Now now = &Clock::now, size_t maxKeys = 256);

    // What to write for this occurrence of `key`, or nothing when it is held back.
    std::optional<Line> admit(const std::string &key, const std::string &text, int severity = 0);

    // For every key whose interval is over with lines held back: the last of them, with the
    // count. Each such key starts a new interval; keys quiet for a whole interval are forgotten.
    std::vector<Line> flushDue();

    // When flushDue() will next have something to write; nothing when no line is held back.
    std::optional<Clock::time_point> nextDue() const;

    uint64_t heldBackTotal() const { return m_heldBackTotal; }
    std::chrono::milliseconds interval() const { return m_interval; }

private:
    struct KeyState {
        Clock::time_point windowStart;   // when the last line of this key was written
        uint64_t heldBack = 0;           // lines of this key held back since then
        Line lastHeldBack;
    };

    std::string summary(const std::string &text, uint64_t count, Clock::time_point since, Clock::time_point now,
                        bool lastOfThem) const;
    void forgetQuietKeys(Clock::time_point now);

    const std::chrono::milliseconds m_interval;
    const Now m_now;
    const size_t m_maxKeys;
    std::map<std::string, KeyState> m_keys;
    uint64_t m_heldBackTotal = 0;
};

} // namespace skiff::core
