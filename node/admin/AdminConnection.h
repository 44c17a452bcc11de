#pragma once
// One admin client connection on the admin thread: reads framed requests, checks the token of
// mutations (AdminTokenGate), answers each through AdminRequestHandler (answers leave as they
// are ready, each carrying its request_id), and runs the connection's Subscribe stream. A
// malformed frame, a frame not whole within socket.request.timeout.ms or a long idle closes this
// connection only, logged once with the peer address. While the answer to a refused token waits,
// nothing more is read from this connection.

#include "admin/AdminContext.h"
#include "admin/AdminFraming.h"
#include "admin/AdminMetrics.h"
#include "admin/AdminProtocol.h"
#include "admin/AdminRequestHandler.h"
#include "admin/AdminTokenGate.h"
#include "admin/EventRing.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <optional>

class QTcpSocket;

namespace skiff::admin {

class AdminConnection : public QObject {
    Q_OBJECT
public:
    // Takes ownership of `socket`. `events`: the node's recent events (the server's), sent to a
    // Subscribe with_history and to GetEvents.
    AdminConnection(QTcpSocket *socket, const AdminContext &context, AdminMetrics &metrics, const EventRing &events,
                    QObject *parent);
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
    void onStreamTick();
    void refuseAfterDelay(const Request &request);
    void startStream(const Request &request);
    Response historyResponse(uint64_t requestId) const;
    void send(const Response &response);
    void close(AdminCloseReason reason);

    QTcpSocket *m_socket;
    const AdminContext &m_context;
    AdminMetrics &m_metrics;
    const EventRing &m_events;
    QString m_peer;
    AdminFrameDecoder m_decoder{kMaxRequestFrameBytes};
    AdminRequestHandler m_handler;
    AdminTokenGate m_tokenGate;
    QTimer m_streamTimer;
    uint64_t m_streamRequestId = 0;
    bool m_streaming = false;
    bool m_closing = false;
    bool m_refusalPending = false;   // a token refusal waits for its delay: requests stay unread
    std::chrono::steady_clock::time_point m_lastActivity;   // last byte received or sent
    std::optional<std::chrono::steady_clock::time_point> m_frameStartedAt;   // a frame not whole yet
    int m_awaitingAnswers = 0;   // requests handed to the handler and not answered yet
};

} // namespace skiff::admin
