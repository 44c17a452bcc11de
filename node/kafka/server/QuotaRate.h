#pragma once
// The rate a client quota is measured by, as Kafka's Rate over a SampledStat: values recorded in
// samples of kWindowMs (quota.window.size.seconds = 1), the last kSamples of them
// (quota.window.num = 11) summed and divided by the time they span, which is never taken as less
// than kSamples - 1 windows (so a client's first burst is spread over ten seconds, not one).
// A sample with no event for kSamples windows is dropped. Pure: time is the caller's.

#include <array>
#include <cstdint>

namespace skiff::kafka {

class QuotaRate {
public:
    static constexpr int kSamples = 11;
    static constexpr int64_t kWindowMs = 1000;

    void record(double value, int64_t nowMs);
    // Per second, over windowMs(nowMs).
    double rate(int64_t nowMs);
    // Kafka's Rate.windowSize: from the oldest live sample's start to now, at least kSamples - 1 windows.
    int64_t windowMs(int64_t nowMs);
    int64_t lastRecordMs() const { return m_lastRecordMs; }

private:
    struct Sample {
        int64_t startMs = 0;
        int64_t lastEventMs = 0;
        double value = 0;
        void reset(int64_t nowMs) { *this = {nowMs, nowMs, 0}; }
    };
    void purgeObsolete(int64_t nowMs);

    // One more than kSamples: the one being filled overlaps the window's start (Kafka keeps it too).
    std::array<Sample, kSamples + 1> m_samples{};
    int m_used = 0;      // samples started so far (up to kSamples + 1)
    int m_current = 0;
    int64_t m_lastRecordMs = 0;
};

// Kafka's QuotaUtils.throttleTime: how long the client must send nothing for the rate observed
// over `windowMs` to fall back to `bound`: (rate - bound) / bound * window, rounded; 0 within bound.
int64_t quotaThrottleMs(double rate, double bound, int64_t windowMs);

} // namespace skiff::kafka
