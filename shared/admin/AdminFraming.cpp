#include "admin/AdminFraming.h"

#include <QtEndian>

namespace skiff::admin {

QByteArray encodeAdminFrame(const google::protobuf::MessageLite &message)
{
    const size_t size = message.ByteSizeLong();
    QByteArray out(qsizetype(kFrameHeaderBytes + size), Qt::Uninitialized);
    qToBigEndian(int32_t(size), out.data());
    message.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t *>(out.data() + kFrameHeaderBytes));
    return out;
}

AdminFrameDecoder::AdminFrameDecoder(int32_t maxFrameBytes) : m_maxFrameBytes(maxFrameBytes) {}

void AdminFrameDecoder::feed(const QByteArray &chunk)
{
    if (m_error)
        return;   // the stream is dead; keep nothing more
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(chunk);
}

Status AdminFrameDecoder::failWith(std::string message)
{
    m_error = corruption(std::move(message));
    m_buffer.clear();
    m_offset = 0;
    return *m_error;
}

Result<bool> AdminFrameDecoder::next(google::protobuf::MessageLite &out)
{
    if (m_error)
        return *m_error;
    if (bufferedBytes() < kFrameHeaderBytes)
        return false;
    const char *head = m_buffer.constData() + m_offset;
    const int32_t length = qFromBigEndian<int32_t>(head);
    if (length < 0 || length > m_maxFrameBytes)
        return failWith("admin frame of " + std::to_string(length) + " bytes is outside 0.." +
                        std::to_string(m_maxFrameBytes) + " (not a skiff admin client, or a corrupt stream)");
    if (bufferedBytes() < kFrameHeaderBytes + qsizetype(length))
        return false;
    if (!out.ParseFromArray(head + kFrameHeaderBytes, length))
        return failWith("admin frame of " + std::to_string(length) + " bytes is not a valid " + out.GetTypeName() +
                        " protobuf");
    m_offset += kFrameHeaderBytes + qsizetype(length);
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    }
    return true;
}

} // namespace skiff::admin
