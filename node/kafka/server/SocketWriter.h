#pragma once
// Sends one connection's response frames in order, copying as little as it can.
//
// Qt's QTcpSocket copies every byte written into its own buffer before the kernel copies it
// again; for a consumer's fetch that is a second pass over every record served (perf, #16). On
// a plain TCP socket whose Qt buffer is empty, the frames' pieces (records included) go straight
// to the kernel with one sendmsg; what the kernel does not take waits here, and Qt is handed at
// most kHandOffBytes of it, so that its write notifier says when the socket takes more (then
// flush() again). Nothing is sent around Qt while Qt holds bytes, so the order stays. A TLS
// socket encrypts what it is given, so it gets every byte through Qt.

#include "kafka/protocol/ResponseFrame.h"

#include <cstddef>
#include <deque>
#include <string>

class QTcpSocket;

namespace skiff::kafka {

class SocketWriter {
public:
    static constexpr size_t kHandOffBytes = 256 * 1024;

    // `direct`: the socket is plain TCP, so its descriptor may be written around Qt.
    SocketWriter(QTcpSocket *socket, bool direct);

    // Queues `frame` behind what is unsent and sends what the socket takes now (true when any
    // byte went out).
    bool write(OutgoingFrame frame);
    // Sends what the socket takes now (call it when Qt reports bytes written). True when any
    // byte went out.
    bool flush();
    // Bytes not yet taken by the kernel: queued here and in Qt's buffer.
    size_t unsentBytes() const;
    // Nothing waits here (Qt may still hold bytes; disconnectFromHost waits for those).
    bool idle() const { return m_pieces.empty(); }
    // Drops what is queued here (the connection is aborted).
    void clear();

private:
    struct Piece {
        std::string bytes;
        size_t sent = 0;   // bytes[0, sent) are sent already
    };

    void push(std::string bytes);
    void consume(size_t n);
    // Gives Qt the front of the queue: all of it when `all`, else up to kHandOffBytes.
    void handOff(bool all);

    QTcpSocket *m_socket;
    bool m_direct;
    std::deque<Piece> m_pieces;
    size_t m_queued = 0;   // unsent bytes in m_pieces
};

} // namespace skiff::kafka
