#pragma once
// How skiffd asks glibc to manage freed memory (set once, first thing in main).

namespace skiff::core {

// Fetch responses, produce requests and TLS buffers are megabytes each, allocated and freed many
// times a second on the kafka thread. glibc's defaults hand such memory back to the kernel as
// soon as it is freed (an arena's top trimmed with MADV_DONTNEED, or a fresh mmap per buffer), so
// every next buffer page-faults in again: measured, two thirds of the kafka thread's time while
// serving a consumer went to page faults and zeroing. Fixed thresholds keep up to
// kTrimThresholdBytes free per arena for reuse and serve buffers below kMmapThresholdBytes from
// the arenas (README, Benchmarks: consume at 1 KiB). A buffer that grows to many megabytes at a
// client's pace (a request frame read in pieces) would leave a trail of freed arena blocks behind
// it; such buffers map their own memory instead (RequestFrame).
void keepFreedMemoryForReuse();

inline constexpr int kMmapThresholdBytes = 16 << 20;
inline constexpr int kTrimThresholdBytes = 32 << 20;

} // namespace skiff::core
