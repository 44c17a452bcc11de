#include "kafka/server/ClientQuotaEnforcer.h"

#include <chrono>

namespace skiff::kafka {

namespace {

// Kafka's ClientQuotaManager.InactiveSensorExpirationTimeSeconds.
constexpr int64_t kIdleRateExpiryMs = 3600 * 1000;
constexpr int64_t kExpiryCheckEveryMs = 60 * 1000;

std::string_view quotaKey(QuotaType type)
{
    switch (type) {
    case QuotaType::Produce: return metadata::kProducerByteRate;
    case QuotaType::Fetch: return metadata::kConsumerByteRate;
    case QuotaType::Request: return metadata::kRequestPercentage;
    }
    return {};
}

} // namespace

const char *quotaTypeName(QuotaType type)
{
    switch (type) {
    case QuotaType::Produce: return "produce";
    case QuotaType::Fetch: return "fetch";
    case QuotaType::Request: return "request";
    }
    return "unknown";
}

std::string quotaUser(const auth::Principal &principal)
{
    constexpr std::string_view kUserType = "User:";
    const std::string_view name = principal.name;
    return std::string(name.starts_with(kUserType) ? name.substr(kUserType.size()) : name);
}

ClientQuotaEnforcer::ClientQuotaEnforcer(ImageSource image, QuotaThrottleCounters *counters)
    : m_image(std::move(image)), m_counters(counters)
{
}

int64_t ClientQuotaEnforcer::nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::optional<metadata::AppliedQuota> ClientQuotaEnforcer::quotaFor(QuotaType type, const std::string &user,
                                                                    const std::string &clientId) const
{
    const metadata::ImagePtr image = m_image();
    if (!image)
        return std::nullopt;
    return metadata::applicableQuota(image->clientQuotas, quotaKey(type), user, clientId);
}

int64_t ClientQuotaEnforcer::record(QuotaType type, const std::string &user, const std::string &clientId, double value,
                                    int64_t nowMs)
{
    expireIdle(nowMs);
    const auto quota = quotaFor(type, user, clientId);
    if (!quota)
        return 0;
    QuotaRate &rate = m_rates[{int(type), quota->sensorUser, quota->sensorClientId}];
    rate.record(value, nowMs);
    // Kafka's Sensor.record checks the quota with the value just recorded counted.
    const int64_t window = rate.windowMs(nowMs);
    int64_t throttle = quotaThrottleMs(rate.rate(nowMs), quota->bound, window);
    // ClientRequestQuotaManager bounds a request-time throttle to one window.
    if (type == QuotaType::Request)
        throttle = std::min(throttle, QuotaRate::kWindowMs);
    if (throttle > 0 && m_counters) {
        ++m_counters->throttled[size_t(type)];
        m_counters->throttleMillis[size_t(type)] += uint64_t(throttle);
    }
    return throttle;
}

void ClientQuotaEnforcer::unrecord(QuotaType type, const std::string &user, const std::string &clientId, double value,
                                   int64_t nowMs)
{
    const auto quota = quotaFor(type, user, clientId);
    if (!quota)
        return;
    auto it = m_rates.find({int(type), quota->sensorUser, quota->sensorClientId});
    if (it != m_rates.end())
        it->second.record(-value, nowMs);
}

std::optional<double> ClientQuotaEnforcer::maxValueInWindow(QuotaType type, const std::string &user,
                                                            const std::string &clientId) const
{
    const auto quota = quotaFor(type, user, clientId);
    if (!quota)
        return std::nullopt;
    return quota->bound * double(QuotaRate::kSamples - 1) * double(QuotaRate::kWindowMs) / 1000.0;
}

void ClientQuotaEnforcer::expireIdle(int64_t nowMs)
{
    if (nowMs - m_lastExpiryMs < kExpiryCheckEveryMs)
        return;
    m_lastExpiryMs = nowMs;
    std::erase_if(m_rates, [nowMs](const auto &entry) { return nowMs - entry.second.lastRecordMs() >= kIdleRateExpiryMs; });
}

} // namespace skiff::kafka
