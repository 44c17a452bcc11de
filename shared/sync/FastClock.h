#pragma once
// Internal: the clock of the lock layer (acquire/release times, holder "since", waits), in ns.
//
// Why not steady_clock: the lock/unlock fast path reads the clock twice, and on VMs with
// kvm-clock clock_gettime costs ~70 ns, more than the rest of the tracking together. With an
// invariant TSC (x86-64) we read the TSC (~10-25 ns) and scale it with a factor calibrated once
// against steady_clock at start-up; elsewhere we use steady_clock. Only differences of these
// values are meaningful (durations); they are comparable across threads.

#include <cstdint>

namespace skiff::sync::detail {

int64_t fastNowNs();
// "tsc" or "steady_clock" (benchmark output).
const char *fastClockSource();

} // namespace skiff::sync::detail
