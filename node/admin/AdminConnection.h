#pragma once
// One admin client connection on the admin thread: reads framed requests, checks the token of
// mutations (AdminTokenGate), answers each through AdminRequestHandler (answers leave as they
// are ready, each carrying its request_id), and runs the connection's Subscribe stream. A
// malformed frame closes this connection only, logged once with the peer address. While the
// answer to a refused token waits, nothing more is read from this connection.

#include "admin/AdminContext.h"
#include "admin/AdminFraming.h"
#include "admin/AdminProtocol.h"
#include "admin/AdminRequestHandler.h"
#include "admin/AdminTokenGate.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace skiff::admin {

class AdminConnection : public QObject {
    Q_OBJECT
public:
    // Takes ownership of `socket`.
    AdminConnection(QTcpSocket *socket, const AdminContext &context, QObject *parent);
    ~AdminConnection() override;

    const QString &peer() const { return m_peer; }
    // Relays a cluster event to this connection's Subscribe stream, if it has one.
    void relayEvent(const Event &event);

signals:
    void closed(skiff::admin::AdminConnection *connection);

private:
    void onReadyRead();
    void onStreamTick();
    void refuseAfterDelay(const Request &request);
    void startStream(const Request &request);
    void send(const Response &response);
    void close(const char *why);

    QTcpSocket *m_socket;
    QString m_peer;
    AdminFrameDecoder m_decoder{kMaxRequestFrameBytes};
    AdminRequestHandler m_handler;
    AdminTokenGate m_tokenGate;
    QTimer m_streamTimer;
    uint64_t m_streamRequestId = 0;
    bool m_streaming = false;
    bool m_closing = false;
    bool m_refusalPending = false;   // a token refusal waits for its delay: requests stay unread
};

} // namespace skiff::admin
