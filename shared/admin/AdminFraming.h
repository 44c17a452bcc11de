#pragma once
// Admin socket framing: every frame is [u32 big-endian length][serialized protobuf message], the
// length-prefixed framing of net/FrameDecoder.h. encodeAdminFrame writes one; AdminFrameDecoder
// takes whatever chunks the socket delivers and yields whole messages. A length above the limit
// is refused as soon as the 4 length bytes are in, before anything is allocated for the body.

#include "common/Status.h"
#include "net/FrameDecoder.h"

#include <QByteArray>

#include <google/protobuf/message_lite.h>

#include <cstdint>

namespace skiff::admin {

// The wire bytes of one frame (header included).
QByteArray encodeAdminFrame(const google::protobuf::MessageLite &message);

class AdminFrameDecoder {
public:
    explicit AdminFrameDecoder(int32_t maxFrameBytes);

    // Appends bytes as they came off the socket; chunk boundaries mean nothing.
    void feed(const QByteArray &chunk) { m_frames.feed(chunk); }

    // Parses the next whole frame into `out`: true if one was parsed, false if more bytes are
    // needed, or a Corruption status. An error is sticky: the stream has lost its framing.
    Result<bool> next(google::protobuf::MessageLite &out);

    qsizetype bufferedBytes() const { return m_frames.bufferedBytes(); }

private:
    net::FrameDecoder m_frames;
};

} // namespace skiff::admin
