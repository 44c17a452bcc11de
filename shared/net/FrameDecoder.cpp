#include "net/FrameDecoder.h"

#include <QtEndian>

#include <utility>

namespace skiff::net {

FrameDecoder::FrameDecoder(std::string what, uint32_t maxFrameBytes, std::string stranger)
    : m_what(std::move(what)), m_maxFrameBytes(maxFrameBytes), m_stranger(std::move(stranger))
{
}

void FrameDecoder::feed(const QByteArray &chunk)
{
    if (m_error)
        return;   // the stream is dead; keep nothing more
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(chunk);
}

Status FrameDecoder::fail(std::string message)
{
    if (!m_error)
        m_error = corruption(std::move(message));
    m_buffer.clear();
    m_offset = 0;
    return *m_error;
}

Result<std::optional<std::string_view>> FrameDecoder::next()
{
    if (m_error)
        return *m_error;
    if (m_offset > 0 && m_offset == m_buffer.size()) {
        // Everything returned so far is consumed (its view ends with this call): start afresh.
        m_buffer.clear();
        m_offset = 0;
    }
    if (bufferedBytes() < kFrameHeaderBytes)
        return std::optional<std::string_view>();
    const char *head = m_buffer.constData() + m_offset;
    const uint32_t length = qFromBigEndian<uint32_t>(head);
    if (length > m_maxFrameBytes)
        return fail(m_what + " of " + std::to_string(length) + " bytes exceeds the limit of " +
                    std::to_string(m_maxFrameBytes) + " bytes (" + m_stranger + ")");
    if (bufferedBytes() < kFrameHeaderBytes + qsizetype(length))
        return std::optional<std::string_view>();
    m_offset += kFrameHeaderBytes + qsizetype(length);
    return std::optional<std::string_view>(std::string_view(head + kFrameHeaderBytes, length));
}

} // namespace skiff::net
