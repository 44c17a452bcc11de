#pragma once
// One admin client connection on the admin thread: reads framed requests, checks what mutations
// carry (AdminMutationGate), answers each through AdminRequestHandler (answers leave as they
// are ready, each carrying its request_id), and runs the connection's Subscribe stream. A
// malformed frame, a frame not whole within socket.request.timeout.ms or a long idle closes this
// connection only, logged once with the peer address. While the answer to a refused mutation
// waits, nothing more is read from this connection.
//
// On a TLS admin socket (admin.ssl.enable) the handshake comes first, judged as the Kafka
// listeners judge theirs (net/ServerHandshake.h) and bounded by ssl.handshake.timeout.ms. A
// client whose first byte cannot begin TLS is a plaintext admin client: it is told so in its own
// framing (an error answer with request_id 0) and closed. Each of these closes is one line,
// through the server's rate-limited log.

#include "admin/AdminContext.h"
#include "admin/AdminFraming.h"
#include "admin/AdminMetrics.h"
#include "admin/AdminProtocol.h"
#include "admin/AdminRequestHandler.h"
#include "admin/AdminMutationGate.h"
#include "admin/EventRing.h"

#include <QObject>
#include <QSslCertificate>
#include <QTimer>

#include <chrono>
#include <optional>

class QSslSocket;
class QTcpSocket;

namespace skiff::core {
class RateLimitedLog;
}

namespace skiff::admin {

class AdminConnection : public QObject {
    Q_OBJECT
public:
    // Takes ownership of `socket`: a QSslSocket not encrypting yet on a TLS admin socket. `events`:
    // the node's recent events (the server's), sent to a Subscribe with_history and to GetEvents.
    // `connectionLog`: the server's, for lines every connection may repeat.
    AdminConnection(QTcpSocket *socket, const AdminContext &context, AdminMetrics &metrics, const EventRing &events,
                    core::RateLimitedLog &connectionLog, QObject *parent);
    ~AdminConnection() override;

    const QString &peer() const { return m_peer; }
    // Relays a cluster event to this connection's Subscribe stream, if it has one.
    void relayEvent(const Event &event);
    // Closes the connection if its frame in progress or its idleness has outlasted the context's
    // timeouts.
    void expireIfDue(std::chrono::steady_clock::time_point now);

signals:
    void closed(skiff::admin::AdminConnection *connection);

private:
    void onReadyRead();
    void watchHandshake(QSslSocket *tls);
    void startEncryptionOrRefusePlaintext(QSslSocket *tls);
    void onHandshakeDone(const QSslCertificate &client);
    // One line through the rate-limited log, then close; `abort`: a broken handshake has nothing to flush.
    void closeForTls(const std::string &logKey, const std::string &why, bool abort = true);
    bool refuseTlsOnPlaintext(const QByteArray &firstBytes);
    void onStreamTick();
    void refuseAfterDelay(const Request &request, const std::string &missing);
    void startStream(const Request &request);
    Response historyResponse(uint64_t requestId) const;
    void send(const Response &response);
    // `abort`: drop what is unsent (a failed TLS handshake has nothing worth sending).
    void close(AdminCloseReason reason, bool abort = false);

    QTcpSocket *m_socket;
    const AdminContext &m_context;
    AdminMetrics &m_metrics;
    const EventRing &m_events;
    core::RateLimitedLog &m_connectionLog;
    QString m_peer;
    AdminFrameDecoder m_decoder{kMaxRequestFrameBytes};
    AdminRequestHandler m_handler;
    AdminMutationGate m_mutationGate;
    QTimer m_streamTimer;
    uint64_t m_streamRequestId = 0;
    bool m_streaming = false;
    bool m_closing = false;
    bool m_refusalPending = false;   // a mutation refusal waits for its delay: requests stay unread
    bool m_sawFirstByte = false;
    bool m_encryptionStarted = false;   // TLS: the first byte began a handshake
    std::optional<std::chrono::steady_clock::time_point> m_handshakeStartedAt;   // TLS, not done yet
    std::chrono::steady_clock::time_point m_lastActivity;   // last byte received or sent
    std::optional<std::chrono::steady_clock::time_point> m_frameStartedAt;   // a frame not whole yet
    int m_awaitingAnswers = 0;   // requests handed to the handler and not answered yet
};

} // namespace skiff::admin
