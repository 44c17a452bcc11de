#pragma once
// One admin-socket connection to one node, on the GUI thread. Everything is asynchronous: the
// socket's signals drive a frame decoder, requests are matched to answers by request_id, and a
// lost connection is retried with a capped exponential backoff. Nothing here ever waits, so the
// UI cannot freeze on a node that does not answer. With TLS (options.tls) the socket is a
// QSslSocket whose handshake is as asynchronous as the rest; its failures become one line that says
// what to change (the CA, the client certificate, TLS on or off in the profile).

#include "admin/AdminFraming.h"
#include "admin/AdminProtocol.h"
#include "net/AdminTls.h"
#include "common/Status.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <map>
#include <optional>

class QTcpSocket;

namespace skiff::gui {

class NodeConnection : public QObject {
    Q_OBJECT
public:
    enum class State {
        Idle,         // not started, or stopped
        Connecting,   // TCP connect in progress
        Streaming,    // subscribed; snapshots arrive
        Backoff,      // lost or refused; the next attempt is scheduled
    };
    Q_ENUM(State)

    using Callback = std::function<void(Result<admin::Response>)>;

    struct Options {
        QString token;
        AdminTls tls;
        uint32_t rateHz = 2;
        int connectTimeoutMs = 3000;
        int requestTimeoutMs = 10000;
        int initialBackoffMs = 250;
        int maxBackoffMs = 5000;
        // A stream silent this long is dead even if TCP has not noticed (a frozen node).
        int silenceTimeoutMs = 5000;
    };

    NodeConnection(QString address, Options options, QObject *parent = nullptr);
    ~NodeConnection() override;

    const QString &address() const { return m_address; }
    State state() const { return m_state; }
    // Why the connection is not streaming (empty while streaming), without the address, which
    // whoever shows it names once.
    const QString &lastError() const { return m_lastError; }
    // Failed attempts since the last successful subscription.
    int failures() const { return m_failures; }

    void start();
    void stop();

    // Sends a request (protocol version, id and token filled in) and calls `done` exactly once:
    // with the answer, or with an Unavailable status when the connection drops or the request
    // times out. A node's error answer is passed through as a Response; the caller reads it.
    void call(admin::Request request, Callback done, int timeoutMs = -1);

    static QString stateName(State state);

signals:
    void statusReceived(const skiff::admin::StatusSnapshot &snapshot);
    void eventReceived(const skiff::admin::Event &event);
    // The node's recent events, before the first snapshot of each subscription; or, from a node
    // too old to keep them, historyUnavailable() before that first snapshot instead.
    void historyReceived(const skiff::admin::EventHistory &history);
    void historyUnavailable();
    void stateChanged(skiff::gui::NodeConnection::State state, const QString &reason);

private:
    struct Pending {
        Callback done;
        qint64 deadlineMs;
    };

    void openSocket();
    void onConnected();
    void onEncrypted();
    void subscribe();
    // Why the connection ended, in words that say what to do: `error` is the socket's own, empty
    // when the node just closed it.
    QString explainEnd(const QString &error) const;
    QString clientCertificateHint() const;
    void connectSocketSignals();
    void onReadyRead();
    void onSocketError();
    void onWatchdog();
    void handleResponse(admin::Response &response);
    void fail(const QString &reason);
    void setState(State state, const QString &reason);
    void failPending(const QString &reason);
    uint64_t sendRequest(admin::Request &request);

    const QString m_address;
    const Options m_options;
    QTcpSocket *m_socket = nullptr;
    std::optional<admin::AdminFrameDecoder> m_decoder;   // fresh per connection: framing is per stream
    State m_state = State::Idle;
    QString m_lastError;
    int m_failures = 0;
    int m_backoffMs;
    uint64_t m_nextRequestId = 1;
    uint64_t m_subscribeId = 0;
    bool m_historySeen = false;   // this subscription's history came
    // How far this connection got: TCP, the TLS handshake, a frame from the node.
    bool m_tcpConnected = false;
    bool m_encrypted = false;
    bool m_answered = false;
    qint64 m_connectStartedMs = 0;
    qint64 m_lastFrameMs = 0;
    std::map<uint64_t, Pending> m_pending;
    QTimer m_retryTimer;
    QTimer m_watchdog;   // connect timeout, stream silence, request deadlines
};

} // namespace skiff::gui
