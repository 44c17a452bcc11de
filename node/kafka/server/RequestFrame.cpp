#include "kafka/server/RequestFrame.h"

#include "core/MemoryPolicy.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>

namespace skiff::kafka {

RequestFrame::~RequestFrame() { release(); }

std::optional<std::chrono::steady_clock::time_point> RequestFrame::startedAt() const
{
    if (!started())
        return std::nullopt;
    return m_startedAt;
}

void RequestFrame::sizeReceived(size_t bytes, std::chrono::steady_clock::time_point now)
{
    if (m_sizeBytesIn == 0 && bytes > 0)
        m_startedAt = now;
    m_sizeBytesIn += bytes;
}

int32_t RequestFrame::announcedSize() const
{
    const auto *p = reinterpret_cast<const unsigned char *>(m_sizeBytes);
    return int32_t(uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]));
}

char *RequestFrame::bodySpace(size_t bytes)
{
    const size_t needed = m_bodySize + bytes;
    const size_t announced = size_t(announcedSize());
    if (needed > m_capacity && announced >= size_t(core::kMmapThresholdBytes)) {
        if (m_body)   // a small block kept from an earlier frame
            release();
        void *mapped = mmap(nullptr, announced, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                            -1, 0);
        if (mapped == MAP_FAILED)
            throw std::bad_alloc();
        m_body = static_cast<char *>(mapped);
        m_mapped = true;
        m_capacity = announced;
    } else if (needed > m_capacity) {
        // Doubling keeps the copies few; the announced size caps it, so a whole frame never
        // holds more than it announced.
        const size_t grown = std::min(std::max({needed, m_capacity * 2, size_t(4096)}), announced);
        char *body = static_cast<char *>(std::realloc(m_body, grown));
        if (!body)
            throw std::bad_alloc();
        m_body = body;
        m_capacity = grown;
    }
    return m_body + m_bodySize;
}

void RequestFrame::reset()
{
    m_sizeBytesIn = 0;
    m_bodySize = 0;
    if (m_capacity > kKeptCapacity)
        release();
}

void RequestFrame::release()
{
    if (m_mapped)
        munmap(m_body, m_capacity);
    else
        std::free(m_body);
    m_body = nullptr;
    m_mapped = false;
    m_capacity = 0;
}

} // namespace skiff::kafka
