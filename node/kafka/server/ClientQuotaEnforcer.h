#pragma once
// Enforces the client quotas of the metadata image on the Kafka thread, as Kafka's
// ClientQuotaManager and ClientRequestQuotaManager do: per quota type, the value a client's
// request adds (Produce: the request's bytes; Fetch: the response's bytes; request: the time its
// handling took on this thread, as a percentage of one thread's second) is recorded in the rate
// of the entity whose quota applies (metadata::applicableQuota), and when that rate is over the
// quota the client is throttled for Kafka's throttle time: the handler puts it in the response's
// throttle_time_ms and the connection reads nothing more from the client until it has passed
// (KIP-219). A client no quota applies to is not measured at all. Rates idle for an hour are
// dropped, as Kafka expires its quota sensors.

#include "auth/Authorizer.h"
#include "kafka/server/QuotaRate.h"
#include "metadata/MetadataImage.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace skiff::kafka {

enum class QuotaType { Produce = 0, Fetch = 1, Request = 2 };
inline constexpr int kQuotaTypes = 3;
// "produce", "fetch", "request": the label values of /metrics' quota series.
const char *quotaTypeName(QuotaType type);

// Throttled responses and the time they were throttled for, per quota type (/metrics). Written
// on the Kafka thread, read from any.
struct QuotaThrottleCounters {
    std::array<std::atomic<uint64_t>, kQuotaTypes> throttled{};
    std::array<std::atomic<uint64_t>, kQuotaTypes> throttleMillis{};
};

// The user a quota names for a principal: its name without "User:" (Kafka's quota entities name
// users bare: the SASL user, the certificate's subject, ANONYMOUS).
std::string quotaUser(const auth::Principal &principal);

class ClientQuotaEnforcer {
public:
    using ImageSource = std::function<metadata::ImagePtr()>;
    ClientQuotaEnforcer(ImageSource image, QuotaThrottleCounters *counters);

    // Records `value` for `user` with `clientId` and returns how long to throttle them (ms), 0
    // when no quota applies or the rate is within it. A throttle is counted in the counters.
    int64_t record(QuotaType type, const std::string &user, const std::string &clientId, double value, int64_t nowMs);
    // Takes back a recorded value (a throttled fetch answers empty, so its bytes were not sent).
    void unrecord(QuotaType type, const std::string &user, const std::string &clientId, double value, int64_t nowMs);
    // Kafka's getMaxValueInQuotaWindow: the most one response may carry without being throttled
    // for sure (quota × (samples − 1) windows); nullopt when no quota applies.
    std::optional<double> maxValueInWindow(QuotaType type, const std::string &user, const std::string &clientId) const;

    static int64_t nowMs();
    // A time handling took, as recorded for request_percentage (percent of one second).
    static double requestPercent(int64_t nanos) { return double(nanos) * 100.0 / 1e9; }

private:
    using SensorKey = std::tuple<int, std::string, std::string>;   // type, user tag, client-id tag
    std::optional<metadata::AppliedQuota> quotaFor(QuotaType type, const std::string &user, const std::string &clientId) const;
    void expireIdle(int64_t nowMs);

    ImageSource m_image;
    QuotaThrottleCounters *m_counters;
    std::map<SensorKey, QuotaRate> m_rates;
    int64_t m_lastExpiryMs = 0;
};

} // namespace skiff::kafka
