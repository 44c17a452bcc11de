#include "log/ChunkReader.h"

#include "log/FileHandle.h"

#include <algorithm>

namespace skiff::log {

Result<std::string_view> ChunkReader::view(int64_t position, size_t size)
{
    if (position >= m_end)
        return std::string_view();
    size = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(size), m_end - position));
    int64_t bufferEnd = m_bufferStart + static_cast<int64_t>(m_buffer.size());
    if (position < m_bufferStart || position + static_cast<int64_t>(size) > bufferEnd) {
        size_t want = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(std::max(size, m_chunk)), m_end - position));
        m_buffer.resize(want);
        auto n = m_file.readAt(m_buffer.data(), want, position);
        if (!n)
            return n.status();
        m_buffer.resize(n.value());
        m_bufferStart = position;
        size = std::min(size, n.value());
    }
    return std::string_view(m_buffer).substr(static_cast<size_t>(position - m_bufferStart), size);
}

} // namespace skiff::log
