#pragma once
// Peer link framing: every frame is [u32 big-endian length][serialized PeerFrame], the
// length-prefixed framing of net/FrameDecoder.h. encodePeerFrame writes one; PeerFrameDecoder
// takes whatever chunks the socket delivers and yields whole frames. A length above the limit is
// refused as soon as the 4 length bytes are in, before anything is allocated for the body, so a
// peer cannot make us reserve 4 GiB.

#include "cluster.pb.h"
#include "common/Status.h"
#include "net/FrameDecoder.h"

#include <QByteArray>

#include <cstdint>
#include <optional>

namespace skiff::cluster {

inline constexpr uint32_t kDefaultMaxPeerFrameBytes = 64u << 20;

// The wire bytes of one frame (header included).
QByteArray encodePeerFrame(const PeerFrame &frame);

// The name of the body set in `frame` ("hello", "raft", ... or "none"), for log lines.
const char *peerFrameBodyName(const PeerFrame &frame);

class PeerFrameDecoder {
public:
    explicit PeerFrameDecoder(uint32_t maxFrameBytes = kDefaultMaxPeerFrameBytes);

    // Appends bytes as they came off the socket; chunk boundaries mean nothing.
    void feed(const QByteArray &chunk) { m_frames.feed(chunk); }

    // The next whole frame, std::nullopt if more bytes are needed, or a Corruption status.
    // An error is sticky: the stream has lost its framing, so the link must be closed.
    Result<std::optional<PeerFrame>> next();

    // Bytes fed but not yet returned as frames.
    qsizetype bufferedBytes() const { return m_frames.bufferedBytes(); }

private:
    net::FrameDecoder m_frames;
};

} // namespace skiff::cluster
