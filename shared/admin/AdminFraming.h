#pragma once
// Admin socket framing: every frame is [int32 big-endian length][serialized protobuf message].
// encodeAdminFrame writes one; AdminFrameDecoder takes whatever chunks the socket delivers and
// yields whole messages. A length that is negative or above the limit is refused as soon as the
// 4 length bytes are in, before anything is allocated for the body.

#include "common/Status.h"

#include <QByteArray>

#include <google/protobuf/message_lite.h>

#include <cstdint>
#include <optional>
#include <string>

namespace skiff::admin {

inline constexpr int kFrameHeaderBytes = 4;

// The wire bytes of one frame (header included).
QByteArray encodeAdminFrame(const google::protobuf::MessageLite &message);

class AdminFrameDecoder {
public:
    explicit AdminFrameDecoder(int32_t maxFrameBytes);

    // Appends bytes as they came off the socket; chunk boundaries mean nothing.
    void feed(const QByteArray &chunk);

    // Parses the next whole frame into `out`: true if one was parsed, false if more bytes are
    // needed, or a Corruption status. An error is sticky: the stream has lost its framing.
    Result<bool> next(google::protobuf::MessageLite &out);

    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }
    int32_t maxFrameBytes() const { return m_maxFrameBytes; }

private:
    Status failWith(std::string message);

    const int32_t m_maxFrameBytes;
    QByteArray m_buffer;
    qsizetype m_offset = 0;   // start of the unread bytes; consumed bytes are dropped lazily
    std::optional<Status> m_error;
};

} // namespace skiff::admin
