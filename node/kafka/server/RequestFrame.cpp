#include "kafka/server/RequestFrame.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace skiff::kafka {

RequestFrame::~RequestFrame() { std::free(m_body); }

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
    if (needed > m_capacity) {
        // Doubling keeps the copies few; the announced size caps it, so a whole frame never
        // holds more than it announced. Large blocks are mmap'd by malloc: pages not written yet
        // cost no memory, and realloc moves them without copying.
        const size_t grown = std::min(std::max({needed, m_capacity * 2, size_t(4096)}), size_t(announcedSize()));
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
    if (m_capacity > kKeptCapacity) {
        std::free(m_body);
        m_body = nullptr;
        m_capacity = 0;
    }
}

} // namespace skiff::kafka
