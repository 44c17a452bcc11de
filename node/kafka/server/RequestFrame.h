#pragma once
// One Kafka request frame as it comes off a connection: the 4-byte size, then the body, read
// straight into a buffer that grows with the bytes received, never past the announced size. A
// size announced costs nothing until its bytes come: a client that says 100 MB and sends 1 KB
// holds about 1 KB. Once the frame is dispatched a large buffer is given back at once; a small
// one is kept for the next frame.
//
// A frame announced at core::kMmapThresholdBytes or more gets its own anonymous mapping of the
// announced size: pages cost memory only once written, nothing is copied as it fills, and it all
// goes back to the kernel at reset(). Grown through malloc it would pass through the arenas
// (which serve everything below that size), and five such frames left ~40 MiB of freed arena
// blocks behind them (e2e_hostile_clients, ReadBoundTest).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace skiff::kafka {

class RequestFrame {
public:
    static constexpr size_t kSizeBytes = 4;
    static constexpr size_t kKeptCapacity = 64 << 10;

    RequestFrame() = default;
    RequestFrame(const RequestFrame &) = delete;
    RequestFrame &operator=(const RequestFrame &) = delete;
    ~RequestFrame();

    // True from the first byte of the size until reset(): the frame is in progress.
    bool started() const { return m_sizeBytesIn > 0; }
    std::optional<std::chrono::steady_clock::time_point> startedAt() const;

    // The size: where its missing bytes go, then how many came.
    bool hasSize() const { return m_sizeBytesIn == kSizeBytes; }
    char *sizeSpace() { return m_sizeBytes + m_sizeBytesIn; }
    size_t sizeMissing() const { return kSizeBytes - m_sizeBytesIn; }
    void sizeReceived(size_t bytes, std::chrono::steady_clock::time_point now);
    // As announced, which may be negative or huge: the caller checks it before reading the body.
    int32_t announcedSize() const;

    // The body: room for `bytes` more (at most bodyMissing()), then how many came.
    size_t bodyMissing() const { return size_t(announcedSize()) - m_bodySize; }
    size_t bodyReceived() const { return m_bodySize; }
    char *bodySpace(size_t bytes);
    void bodyReceived(size_t bytes) { m_bodySize += bytes; }

    bool complete() const { return hasSize() && m_bodySize == size_t(announcedSize()); }
    std::string_view body() const { return {m_body, m_bodySize}; }
    size_t capacity() const { return m_capacity; }

    // Ready for the next frame.
    void reset();

private:
    char m_sizeBytes[kSizeBytes] = {};
    size_t m_sizeBytesIn = 0;
    std::chrono::steady_clock::time_point m_startedAt;
    void release();

    char *m_body = nullptr;   // malloc'd, or mmap'd when m_mapped
    bool m_mapped = false;
    size_t m_bodySize = 0;
    size_t m_capacity = 0;
};

} // namespace skiff::kafka
