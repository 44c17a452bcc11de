#include "cluster/peer/PeerFraming.h"

#include <QtEndian>

#include <string>

namespace skiff::cluster {

QByteArray encodePeerFrame(const PeerFrame &frame)
{
    const size_t size = frame.ByteSizeLong();
    QByteArray out(qsizetype(kPeerFrameHeaderBytes + size), Qt::Uninitialized);
    qToBigEndian(uint32_t(size), out.data());
    frame.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t *>(out.data() + kPeerFrameHeaderBytes));
    return out;
}

const char *peerFrameBodyName(const PeerFrame &frame)
{
    switch (frame.body_case()) {
    case PeerFrame::kHello: return "hello";
    case PeerFrame::kHelloReply: return "hello_reply";
    case PeerFrame::kRaft: return "raft";
    case PeerFrame::kBrokerHeartbeat: return "broker_heartbeat";
    case PeerFrame::kBrokerHeartbeatReply: return "broker_heartbeat_reply";
    case PeerFrame::kJoinRequest: return "join_request";
    case PeerFrame::kJoinReply: return "join_reply";
    case PeerFrame::BODY_NOT_SET: return "none";
    }
    return "unknown";
}

PeerFrameDecoder::PeerFrameDecoder(uint32_t maxFrameBytes) : m_maxFrameBytes(maxFrameBytes) {}

void PeerFrameDecoder::feed(const QByteArray &chunk)
{
    if (m_error)
        return;   // the stream is dead; keep nothing more
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(chunk);
}

Result<std::optional<PeerFrame>> PeerFrameDecoder::next()
{
    if (m_error)
        return *m_error;
    if (bufferedBytes() < kPeerFrameHeaderBytes)
        return std::optional<PeerFrame>();
    const char *head = m_buffer.constData() + m_offset;
    const uint32_t length = qFromBigEndian<uint32_t>(head);
    if (length > m_maxFrameBytes) {
        m_error = corruption("peer frame of " + std::to_string(length) + " bytes exceeds the limit of " +
                             std::to_string(m_maxFrameBytes) + " bytes (not a skiff peer, or a corrupt stream)");
        m_buffer.clear();
        m_offset = 0;
        return *m_error;
    }
    if (bufferedBytes() < kPeerFrameHeaderBytes + qsizetype(length))
        return std::optional<PeerFrame>();

    PeerFrame frame;
    if (!frame.ParseFromArray(head + kPeerFrameHeaderBytes, int(length))) {
        m_error = corruption("peer frame of " + std::to_string(length) + " bytes is not a valid PeerFrame protobuf");
    } else if (frame.body_case() == PeerFrame::BODY_NOT_SET) {
        // Parsable but empty (or only fields we do not know): nothing to dispatch on.
        m_error = corruption("peer frame of " + std::to_string(length) +
                             " bytes has no body set (unknown message type, or not a skiff peer)");
    }
    if (m_error) {
        m_buffer.clear();
        m_offset = 0;
        return *m_error;
    }
    m_offset += kPeerFrameHeaderBytes + qsizetype(length);
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    }
    return std::optional<PeerFrame>(std::move(frame));
}

} // namespace skiff::cluster
