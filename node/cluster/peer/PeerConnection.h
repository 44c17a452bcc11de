#pragma once

#include "cluster.pb.h"
#include "cluster/peer/PeerFraming.h"

#include <QObject>
#include <QString>

class QTcpSocket;

namespace skiff::cluster {

// One TCP connection carrying PeerFrames, in either direction. It knows framing, limits and
// socket errors, nothing about handshakes or peers: PeerTransport decides what frames mean.
// Never blocks. Once closed it emits closed() exactly once and stays inert; the owner deletes
// it later (never from inside its own signals).
class PeerConnection : public QObject {
    Q_OBJECT
public:
    // Takes ownership of `socket` (connected, or about to be by connectToHost).
    PeerConnection(QTcpSocket *socket, uint32_t maxFrameBytes, qint64 maxOutboundBytes, QObject *parent = nullptr);
    ~PeerConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    // ip:port of the other end, for log lines ("" until connected).
    QString endpoint() const;
    bool isClosed() const { return m_closed; }
    // Closed because the peer broke the protocol (bad frame, oversize, a frame out of turn):
    // the owner logs these as warnings, unlike ordinary disconnects.
    bool closedForProtocolError() const { return m_protocolError; }

    // Queues one frame. Returns the wire bytes queued, or -1 if closed or if the outbound buffer
    // would exceed its cap (the frame is dropped: the caller retries, nothing grows unbounded).
    qint64 send(const PeerFrame &frame);

    // Drops the connection now (pending output discarded).
    void close(const QString &reason);
    // The same, marking it as the peer's fault (see closedForProtocolError).
    void closeForProtocolError(const QString &reason);
    // Sends what is queued (a refusal reply), then closes; aborts if that takes too long.
    void closeAfterFlush(const QString &reason);

signals:
    void connected();
    void frameReceived(const skiff::cluster::PeerFrame &frame, qint64 wireBytes);
    void closed(QString reason);

private:
    void onReadyRead();
    void onSocketGone(const QString &reason);

    QTcpSocket *m_socket;
    PeerFrameDecoder m_decoder;
    const qint64 m_maxOutboundBytes;
    bool m_closed = false;
    bool m_protocolError = false;
    bool m_flushing = false;    // closeAfterFlush called: no more input is processed
    QString m_flushReason;
    mutable QString m_endpoint;   // the peer's host:port, kept after the socket closed
    static constexpr int kFlushTimeoutMs = 2000;
};

} // namespace skiff::cluster
