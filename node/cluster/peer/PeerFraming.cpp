#include "cluster/peer/PeerFraming.h"

#include <string>

namespace skiff::cluster {

QByteArray encodePeerFrame(const PeerFrame &frame)
{
    return net::encodeFrame(frame.ByteSizeLong(), [&](char *body) {
        frame.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t *>(body));
    });
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
    case PeerFrame::kQuorumRequest: return "quorum_request";
    case PeerFrame::kQuorumReply: return "quorum_reply";
    case PeerFrame::BODY_NOT_SET: return "none";
    }
    return "unknown";
}

PeerFrameDecoder::PeerFrameDecoder(uint32_t maxFrameBytes)
    : m_frames("peer frame", maxFrameBytes, "not a skiff peer, or a corrupt stream")
{
}

Result<std::optional<PeerFrame>> PeerFrameDecoder::next()
{
    auto body = m_frames.next();
    if (!body.isOk())
        return body.status();
    if (!body.value())
        return std::optional<PeerFrame>();
    const std::string_view bytes = *body.value();
    PeerFrame frame;
    if (!frame.ParseFromArray(bytes.data(), int(bytes.size())))
        return m_frames.fail("peer frame of " + std::to_string(bytes.size()) + " bytes is not a valid PeerFrame protobuf");
    if (frame.body_case() == PeerFrame::BODY_NOT_SET) {
        // Parsable but empty (or only fields we do not know): nothing to dispatch on.
        return m_frames.fail("peer frame of " + std::to_string(bytes.size()) +
                             " bytes has no body set (unknown message type, or not a skiff peer)");
    }
    return std::optional<PeerFrame>(std::move(frame));
}

} // namespace skiff::cluster
