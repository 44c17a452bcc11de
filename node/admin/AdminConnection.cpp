#include "admin/AdminConnection.h"

#include "admin/AdminLog.h"
#include "admin/AdminProtocol.h"
#include "auth/CertificatePrincipal.h"
#include "core/RateLimitedLog.h"
#include "net/ServerHandshake.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace skiff::admin {
namespace {

// A subscriber that reads slower than we stream: skip snapshots while this much is unsent, and
// give up on it past the hard limit, rather than buffer without bound.
constexpr qint64 kSkipSnapshotsAboveBytes = 4 << 20;
constexpr qint64 kCloseAboveBytes = 64 << 20;
// Bytes the socket buffers unread. Reading is paused while a token refusal waits; this bound makes
// a client that keeps sending meanwhile wait for TCP instead of growing our memory.
constexpr qint64 kReadBufferBytes = 256 << 10;

} // namespace

const char *adminCloseReasonName(AdminCloseReason reason)
{
    switch (reason) {
    case AdminCloseReason::Client: return "client";
    case AdminCloseReason::MalformedFrame: return "malformed_frame";
    case AdminCloseReason::SlowReader: return "slow_reader";
    case AdminCloseReason::RequestTimeout: return "request_timeout";
    case AdminCloseReason::Idle: return "idle";
    case AdminCloseReason::TlsHandshake: return "tls_handshake";
    }
    return "unknown";
}

AdminConnection::AdminConnection(QTcpSocket *socket, const AdminContext &context, AdminMetrics &metrics,
                                 const EventRing &events, core::RateLimitedLog &connectionLog, QObject *parent)
    : QObject(parent), m_socket(socket), m_context(context), m_metrics(metrics), m_events(events),
      m_connectionLog(connectionLog),
      m_peer(socket->peerAddress().toString() + QLatin1Char(':') + QString::number(socket->peerPort())),
      m_handler(context, this),
      m_mutationGate(context.access.mutationAuth, context.token, context.access.principals, m_peer), m_streamTimer(this),
      m_lastActivity(std::chrono::steady_clock::now())
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadBufferBytes);
    connect(m_socket, &QTcpSocket::readyRead, this, &AdminConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this]() { m_lastActivity = std::chrono::steady_clock::now(); });
    connect(m_socket, &QTcpSocket::disconnected, this, [this]() { close(AdminCloseReason::Client); });
    connect(&m_streamTimer, &QTimer::timeout, this, &AdminConnection::onStreamTick);
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket))
        watchHandshake(tls);
}

AdminConnection::~AdminConnection() = default;

void AdminConnection::watchHandshake(QSslSocket *tls)
{
    m_handshakeStartedAt = std::chrono::steady_clock::now();
    net::watchServerHandshake(
        tls, this, m_context.access.clientAuth == net::ClientAuth::Required,
        [this](const QSslCertificate &client) { onHandshakeDone(client); },
        [this, tls](const std::string &why) {
            if (!tls->isEncrypted())
                return closeForTls("tls handshake failed", why);
            // A certificate missing or refused: the client hears why, in its own framing, first.
            const std::string told =
                tls->peerCertificate().isNull()
                    ? "the node's admin socket wants a client certificate (admin.ssl.client.auth = required); pass --cert "
                      "and --key (skiffctl), or the dashboard profile's client certificate"
                    : "the node refused the client certificate (" + why.substr(why.find(": ") + 2)
                          + "); is --cert signed by the node's ssl.ca.location?";
            send(AdminRequestHandler::errorResponse(0, ERROR_CODE_UNAUTHORIZED, told));
            closeForTls("tls handshake failed", why, false);
        });
}

void AdminConnection::startEncryptionOrRefusePlaintext(QSslSocket *tls)
{
    // Peeked, not read: the handshake starts from these bytes.
    char first = 0;
    if (tls->peek(&first, 1) != 1)
        return;
    if (net::beginsTlsHandshake(first)) {
        m_encryptionStarted = true;
        tls->startServerEncryption();
        return;
    }
    // skiffctl without --tls, or a dashboard profile without TLS: told in the framing it speaks,
    // with request_id 0 (no request of its was read), why nothing it sends will be answered.
    send(AdminRequestHandler::errorResponse(
        0, ERROR_CODE_INVALID_REQUEST,
        "the node's admin socket speaks TLS (admin.ssl.enable); connect with TLS: skiffctl --tls --ca FILE, or the "
        "dashboard profile's TLS and CA"));
    m_connectionLog.warning("plaintext client", "closing admin connection from " + m_peer.toStdString()
                                                    + ": a plaintext client on the TLS admin socket (admin.ssl.enable); "
                                                      "it was told to connect with TLS");
    close(AdminCloseReason::TlsHandshake);
}

void AdminConnection::onHandshakeDone(const QSslCertificate &client)
{
    m_handshakeStartedAt.reset();
    m_lastActivity = std::chrono::steady_clock::now();
    if (!client.isNull()) {
        // Verified by the handshake (admin.ssl.client.auth = required) or by watchServerHandshake
        // (requested): the certificate says who the client is, as it does on Kafka's SSL listeners.
        const QByteArray der = client.toDer();
        if (auto principal = auth::certificatePrincipal(std::string_view(der.constData(), size_t(der.size())))) {
            m_peer += QStringLiteral(" (") + QString::fromStdString(principal->substr(5)) + QLatin1Char(')');
            m_mutationGate.setCertificatePrincipal(std::move(*principal));
        }
    }
    // A request that came with the end of the handshake was not signalled on its own.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &AdminConnection::onReadyRead, Qt::QueuedConnection);
}

void AdminConnection::closeForTls(const std::string &logKey, const std::string &why, bool abort)
{
    m_connectionLog.warning(logKey, "closing admin connection from " + m_peer.toStdString() + ": " + why);
    close(AdminCloseReason::TlsHandshake, abort);
}

bool AdminConnection::refuseTlsOnPlaintext(const QByteArray &firstBytes)
{
    // A TLS record header: handshake (0x16), then version 3.x. As a frame length it would be
    // refused as too large anyway; this says what it really is.
    if (firstBytes.size() < 2 || !net::beginsTlsHandshake(firstBytes[0]) || firstBytes[1] != 0x03)
        return false;
    qCWarning(lcAdmin, "closing admin connection from %s: it began a TLS handshake, but this admin socket speaks "
                       "plaintext (admin.ssl.enable is false)", qPrintable(m_peer));
    close(AdminCloseReason::MalformedFrame);
    return true;
}

void AdminConnection::onReadyRead()
{
    if (m_closing || m_refusalPending)
        return;
    if (m_handshakeStartedAt) {
        if (!m_encryptionStarted)
            startEncryptionOrRefusePlaintext(static_cast<QSslSocket *>(m_socket));
        return;   // handshake bytes are the TLS layer's; requests come once it is done
    }
    const auto now = std::chrono::steady_clock::now();
    const QByteArray bytes = m_socket->readAll();
    if (!bytes.isEmpty()) {
        m_lastActivity = now;
        if (!m_sawFirstByte) {
            m_sawFirstByte = true;
            if (refuseTlsOnPlaintext(bytes))
                return;
        }
        m_decoder.feed(bytes);
    }
    for (;;) {
        Request request;
        auto parsed = m_decoder.next(request);
        if (!parsed.isOk()) {
            qCWarning(lcAdmin, "closing admin connection from %s: %s", qPrintable(m_peer),
                      parsed.status().message().c_str());
            close(AdminCloseReason::MalformedFrame);
            return;
        }
        if (!parsed.value())
            break;
        m_frameStartedAt.reset();   // the frame in progress, if any, is whole
        if (auto missing = m_mutationGate.refusal(request)) {
            refuseAfterDelay(request, *missing);
            return;   // what follows stays in the decoder and the socket until the refusal is out
        }
        if (request.body_case() == Request::kSubscribe && request.protocol_version() == kProtocolVersion) {
            startStream(request);
            continue;
        }
        if (request.body_case() == Request::kGetEvents && request.protocol_version() == kProtocolVersion) {
            send(historyResponse(request.request_id()));
            continue;
        }
        ++m_awaitingAnswers;
        m_handler.handle(request, m_peer, [this](Response response) {
            --m_awaitingAnswers;
            send(response);
        });
    }
    // What is left is the start of the next frame: it began in these bytes unless it had begun before.
    if (m_decoder.bufferedBytes() == 0)
        m_frameStartedAt.reset();
    else if (!m_frameStartedAt)
        m_frameStartedAt = now;
}

void AdminConnection::expireIfDue(std::chrono::steady_clock::time_point now)
{
    if (m_closing)
        return;
    // A mutation refusal waiting for its delay is an answer in flight.
    const core::ConnectionActivity activity{m_frameStartedAt, m_lastActivity, m_awaitingAnswers > 0 || m_refusalPending,
                                            m_handshakeStartedAt};
    const auto millis = [&](std::chrono::steady_clock::time_point since) {
        return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(now - since).count());
    };
    switch (core::expiryOf(m_context.timeouts, activity, now)) {
    case core::ConnectionExpiry::None:
        return;
    case core::ConnectionExpiry::HandshakeTimeout:
        closeForTls("tls handshake timeout",
                    "its TLS handshake is not done " + std::to_string(millis(*m_handshakeStartedAt))
                        + " ms after it connected (it sent " + (m_encryptionStarted ? "part of a handshake" : "nothing")
                        + "; ssl.handshake.timeout.ms = " + std::to_string(m_context.timeouts.handshake.count()) + ")");
        return;
    case core::ConnectionExpiry::RequestTimeout:
        qCWarning(lcAdmin,
                  "closing admin connection from %s: its request frame is not whole %lld ms after its first byte "
                  "(%lld bytes received; socket.request.timeout.ms = %lld)",
                  qPrintable(m_peer), millis(*m_frameStartedAt), static_cast<long long>(m_decoder.bufferedBytes()),
                  static_cast<long long>(m_context.timeouts.request.count()));
        close(AdminCloseReason::RequestTimeout);
        return;
    case core::ConnectionExpiry::Idle:
        qCInfo(lcAdmin,
               "closing idle admin connection from %s: nothing received, sent or in flight for %lld ms "
               "(admin.connections.max.idle.ms = %lld)",
               qPrintable(m_peer), millis(m_lastActivity), static_cast<long long>(m_context.timeouts.idle.count()));
        close(AdminCloseReason::Idle);
        return;
    }
}

void AdminConnection::refuseAfterDelay(const Request &request, const std::string &missing)
{
    ++m_metrics.mutationsRefused;
    // A timer, not a sleep: the admin thread serves every other connection meanwhile.
    m_refusalPending = true;
    QTimer::singleShot(m_mutationGate.refusalDelay(), this,
                       [this, refusal = AdminRequestHandler::unauthorized(request, missing)]() {
        m_refusalPending = false;
        send(refusal);
        onReadyRead();   // requests that came in meanwhile
    });
}

void AdminConnection::startStream(const Request &request)
{
    const uint32_t rate = request.subscribe().rate_hz();
    if (rate < 1 || rate > kMaxSubscribeRateHz) {
        send(AdminRequestHandler::errorResponse(request.request_id(), ERROR_CODE_INVALID_REQUEST,
                                                "subscribe rate_hz must be from 1 to " +
                                                    std::to_string(kMaxSubscribeRateHz) + ", got " + std::to_string(rate)));
        return;
    }
    // A new Subscribe replaces the previous stream of this connection.
    m_streamRequestId = request.request_id();
    m_streaming = true;
    // The history and then the live events, on this thread where both are made: none missed
    // between them, none sent twice.
    if (request.subscribe().with_history())
        send(historyResponse(m_streamRequestId));
    m_streamTimer.start(int(1000 / rate));
    onStreamTick();   // the first snapshot at once, not one period later
}

void AdminConnection::onStreamTick()
{
    if (m_socket->bytesToWrite() > kSkipSnapshotsAboveBytes)
        return;
    send(m_handler.statusResponse(m_streamRequestId));
}

Response AdminConnection::historyResponse(uint64_t requestId) const
{
    Response r;
    r.set_protocol_version(kProtocolVersion);
    r.set_request_id(requestId);
    *r.mutable_history() = m_events.history();
    return r;
}

void AdminConnection::relayEvent(const Event &event)
{
    if (!m_streaming)
        return;
    Response r;
    r.set_protocol_version(kProtocolVersion);
    r.set_request_id(m_streamRequestId);
    *r.mutable_event() = event;
    send(r);
}

void AdminConnection::send(const Response &response)
{
    if (m_closing)
        return;
    m_socket->write(encodeAdminFrame(response));
    if (m_socket->bytesToWrite() > kCloseAboveBytes) {
        qCWarning(lcAdmin, "closing admin connection from %s: it reads too slowly (%lld bytes unsent)", qPrintable(m_peer),
                  static_cast<long long>(m_socket->bytesToWrite()));
        close(AdminCloseReason::SlowReader);
    }
}

void AdminConnection::close(AdminCloseReason reason, bool abort)
{
    if (m_closing)
        return;
    m_closing = true;
    m_streamTimer.stop();
    m_metrics.closed(reason);
    qCDebug(lcAdmin, "admin connection from %s closed: %s", qPrintable(m_peer), adminCloseReasonName(reason));
    // Answers already written still go out (now: the socket is deleted soon after); then the
    // socket closes.
    if (abort) {
        m_socket->abort();
    } else {
        m_socket->flush();
        m_socket->disconnectFromHost();
    }
    emit closed(this);
}

} // namespace skiff::admin
