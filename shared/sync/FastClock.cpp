#include "sync/FastClock.h"

#include <chrono>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace skiff::sync::detail {

namespace {

int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Calibration {
    bool useTsc = false;
    uint64_t baseTsc = 0;
    int64_t baseSteadyNs = 0;
    double nsPerTick = 0.0;
};

#if defined(__x86_64__)
bool hasInvariantTsc()
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(0x80000000, &eax, &ebx, &ecx, &edx) || eax < 0x80000007)
        return false;
    __get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx);
    return edx & (1u << 8); // "invariant TSC": constant rate, runs in all C-states
}

// A (tsc, steady) pair read as close together as we can: the tightest of a few brackets, so
// a preemption between the two reads does not skew the calibration.
void pairedRead(uint64_t &tsc, int64_t &ns)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 16; ++i) {
        const uint64_t before = __rdtsc();
        const int64_t now = steadyNs();
        const uint64_t after = __rdtsc();
        if (after - before < best) {
            best = after - before;
            tsc = before + (after - before) / 2;
            ns = now;
        }
    }
}
#endif

Calibration calibrate()
{
    Calibration c;
    c.baseSteadyNs = steadyNs();
#if defined(__x86_64__)
    if (!hasInvariantTsc())
        return c;
    uint64_t tsc0 = 0, tsc1 = 0;
    int64_t ns0 = 0, ns1 = 0;
    pairedRead(tsc0, ns0);
    // ~2 ms once per process: enough for a few ppm of error at start-up cost nobody notices.
    while (steadyNs() - ns0 < 2'000'000) {
    }
    pairedRead(tsc1, ns1);
    if (tsc1 <= tsc0 || ns1 <= ns0)
        return c;
    c.useTsc = true;
    c.baseTsc = tsc0;
    c.baseSteadyNs = ns0;
    c.nsPerTick = double(ns1 - ns0) / double(tsc1 - tsc0);
#endif
    return c;
}

const Calibration &calibration()
{
    static const Calibration c = calibrate();
    return c;
}

// Calibrate during static initialisation, not in the first lock() of some latency-critical path.
[[maybe_unused]] const Calibration &g_calibratedAtStart = calibration();

} // namespace

int64_t fastNowNs()
{
#if defined(__x86_64__)
    const Calibration &c = calibration();
    if (c.useTsc)
        return c.baseSteadyNs + int64_t(double(int64_t(__rdtsc() - c.baseTsc)) * c.nsPerTick);
#endif
    return steadyNs();
}

const char *fastClockSource()
{
    return calibration().useTsc ? "tsc" : "steady_clock";
}

} // namespace skiff::sync::detail
