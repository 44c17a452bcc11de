#include "cluster/peer/PeerConnection.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace skiff::cluster {

PeerConnection::PeerConnection(QTcpSocket *socket, uint32_t maxFrameBytes, qint64 maxOutboundBytes, QObject *parent)
    : QObject(parent), m_socket(socket), m_decoder(maxFrameBytes), m_maxOutboundBytes(maxOutboundBytes)
{
    m_socket->setParent(this);
    endpoint();   // an accepted socket's peer, remembered
    auto *tls = qobject_cast<QSslSocket *>(m_socket);
    connect(m_socket, &QTcpSocket::connected, this, [this, tls]() {
        endpoint();
        // Set once connected: before that there is no socket descriptor to set it on.
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (!tls)
            emit connected();
    });
    if (tls) {
        // Over TLS a link is connected once encrypted: the peer's certificate was checked.
        connect(tls, &QSslSocket::encrypted, this, &PeerConnection::connected);
        connect(tls, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList why;
            for (const QSslError &e : errors)
                why << e.errorString();
            closeForProtocolError(QStringLiteral("TLS: the peer's certificate is refused: %1").arg(why.join(QStringLiteral("; "))));
        });
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &PeerConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        // A failed TLS handshake is a misconfiguration (a plaintext peer, no or a foreign
        // certificate): logged like malformed input, not as a peer going away.
        if (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::SslInvalidUserDataError)
            return closeForProtocolError(QStringLiteral("TLS handshake failed: %1").arg(m_socket->errorString()));
        onSocketGone(error == QAbstractSocket::RemoteHostClosedError ? QStringLiteral("connection closed by the peer")
                                                                     : m_socket->errorString());
    });
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this]() { onSocketGone(QStringLiteral("connection closed by the peer")); });
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
}

PeerConnection::~PeerConnection()
{
    // Quietly: nobody listens to a connection being destroyed.
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

QString PeerConnection::endpoint() const
{
    // A closed socket forgets its peer: keep the last address seen, for the line that says why
    // the connection was closed.
    if (!m_socket->peerAddress().isNull())
        m_endpoint = QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    return m_endpoint;
}

qint64 PeerConnection::send(const PeerFrame &frame)
{
    if (m_closed || m_flushing || m_socket->state() != QAbstractSocket::ConnectedState)
        return -1;
    const QByteArray bytes = encodePeerFrame(frame);
    if (m_socket->bytesToWrite() + bytes.size() > m_maxOutboundBytes)
        return -1;
    return m_socket->write(bytes) == bytes.size() ? bytes.size() : -1;
}

void PeerConnection::close(const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;   // first, so the abort's own signals find us closed
    m_socket->abort();
    emit closed(reason);
}

void PeerConnection::closeForProtocolError(const QString &reason)
{
    if (m_closed)
        return;
    m_protocolError = true;
    close(reason);
}

void PeerConnection::closeAfterFlush(const QString &reason)
{
    if (m_closed || m_flushing)
        return;
    m_flushing = true;
    m_flushReason = reason;
    // disconnectFromHost writes what is queued, then emits disconnected -> onSocketGone.
    QTimer::singleShot(kFlushTimeoutMs, this, [this]() { close(m_flushReason); });
    m_socket->disconnectFromHost();
}

void PeerConnection::onReadyRead()
{
    if (m_closed || m_flushing)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    m_decoder.feed(data);
    for (;;) {
        const qsizetype before = m_decoder.bufferedBytes();
        auto next = m_decoder.next();
        if (!next.isOk()) {
            const QString where = endpoint();
            closeForProtocolError(QStringLiteral("malformed input from %1: %2")
                                      .arg(where.isEmpty() ? QStringLiteral("peer") : where,
                                           QString::fromStdString(next.status().message())));
            return;
        }
        if (!next->has_value())
            return;
        emit frameReceived(**next, before - m_decoder.bufferedBytes());
        if (m_closed || m_flushing)   // the handler closed us (refusal, removePeer, bad frame)
            return;
    }
}

void PeerConnection::onSocketGone(const QString &reason)
{
    if (m_closed)
        return;
    if (m_flushing) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            close(m_flushReason);
        return;
    }
    // The peer's last frames (a refusal reply before its FIN) may still sit in the read buffer.
    onReadyRead();
    close(reason);
}

} // namespace skiff::cluster
