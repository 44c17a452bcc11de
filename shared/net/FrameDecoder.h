#pragma once
// Length-prefixed framing, as the peer links and the admin socket use it: every frame is a
// [u32 big-endian length][body] pair. FrameDecoder takes whatever chunks a socket delivers and
// yields whole bodies; what a body means is its caller's business (PeerFrameDecoder,
// AdminFrameDecoder parse it). A length above the limit is refused as soon as the 4 length bytes
// are in, before anything is allocated for the body, so a peer cannot make us reserve 4 GiB.

#include "common/Status.h"

#include <QByteArray>
#include <QtEndian>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::net {

inline constexpr int kFrameHeaderBytes = 4;

// A frame of `bodyBytes` bytes whose body `writeBody(char *)` fills in place.
template <class WriteBody>
QByteArray encodeFrame(size_t bodyBytes, WriteBody writeBody)
{
    QByteArray out(qsizetype(kFrameHeaderBytes + bodyBytes), Qt::Uninitialized);
    qToBigEndian(uint32_t(bodyBytes), out.data());
    writeBody(out.data() + kFrameHeaderBytes);
    return out;
}

class FrameDecoder {
public:
    // `what` names a frame in error messages ("peer frame"); `stranger` says what a refused
    // length most likely means ("not a skiff peer, or a corrupt stream").
    FrameDecoder(std::string what, uint32_t maxFrameBytes, std::string stranger);

    // Appends bytes as they came off the socket; chunk boundaries mean nothing.
    void feed(const QByteArray &chunk);

    // The body of the next whole frame (empty for a zero length), std::nullopt if more bytes are
    // needed, or a Corruption status. The view is valid until the next call on this decoder.
    // An error is sticky: the stream has lost its framing, so the connection must be closed.
    Result<std::optional<std::string_view>> next();

    // The caller could not use the body next() returned: the stream is dead from here on, as
    // after a refused length. Returns the (sticky) error.
    Status fail(std::string message);

    // Bytes fed but not yet returned as frames.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }
    uint32_t maxFrameBytes() const { return m_maxFrameBytes; }
    const std::string &what() const { return m_what; }

private:
    const std::string m_what;
    const uint32_t m_maxFrameBytes;
    const std::string m_stranger;
    QByteArray m_buffer;
    // Start of the unread bytes in m_buffer; consumed bytes are dropped lazily so a burst of
    // small frames does not memmove the buffer once per frame.
    qsizetype m_offset = 0;
    std::optional<Status> m_error;
};

} // namespace skiff::net
