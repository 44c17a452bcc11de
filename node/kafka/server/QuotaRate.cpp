#include "kafka/server/QuotaRate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace skiff::kafka {

void QuotaRate::record(double value, int64_t nowMs)
{
    if (m_used == 0) {
        m_samples[0].reset(nowMs);
        m_used = 1;
    }
    Sample *sample = &m_samples[size_t(m_current)];
    if (nowMs - sample->startMs >= kWindowMs) {   // complete: the next sample, reused once all exist
        m_current = (m_current + 1) % int(m_samples.size());
        if (m_current >= m_used)
            ++m_used;
        sample = &m_samples[size_t(m_current)];
        sample->reset(nowMs);
    }
    sample->value += value;
    sample->lastEventMs = nowMs;
    m_lastRecordMs = nowMs;
}

void QuotaRate::purgeObsolete(int64_t nowMs)
{
    for (int i = 0; i < m_used; ++i)
        if (nowMs - m_samples[size_t(i)].lastEventMs >= kSamples * kWindowMs)
            m_samples[size_t(i)].reset(nowMs);
}

int64_t QuotaRate::windowMs(int64_t nowMs)
{
    purgeObsolete(nowMs);
    int64_t oldest = nowMs;
    for (int i = 0; i < m_used; ++i)
        oldest = std::min(oldest, m_samples[size_t(i)].startMs);
    int64_t elapsed = nowMs - oldest;
    const int64_t fullWindows = elapsed / kWindowMs;
    if (fullWindows < kSamples - 1)
        elapsed += (kSamples - 1 - fullWindows) * kWindowMs;
    return elapsed;
}

double QuotaRate::rate(int64_t nowMs)
{
    const int64_t window = windowMs(nowMs);   // purges first, as Kafka's measure does
    double total = 0;
    for (int i = 0; i < m_used; ++i)
        total += m_samples[size_t(i)].value;
    return total / (double(window) / 1000.0);
}

int64_t quotaThrottleMs(double rate, double bound, int64_t windowMs)
{
    if (!(rate > bound) || !(bound > 0))
        return 0;
    // throttle_time_ms is an int32 on the wire.
    const double ms = std::round((rate - bound) / bound * double(windowMs));
    return ms >= double(INT32_MAX) ? INT32_MAX : int64_t(ms);
}

} // namespace skiff::kafka
