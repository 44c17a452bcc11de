#pragma once

#include "core/ConnectionTimeouts.h"
#include "core/KafkaListeners.h"
#include "kafka/server/ClientSession.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/RequestFrame.h"
#include "kafka/server/RequestReadBudget.h"
#include "kafka/server/SaslAuthenticator.h"
#include "kafka/server/SocketWriter.h"

#include <QObject>
#include <QStringList>

#include <cstdint>
#include <chrono>
#include <deque>
#include <optional>
#include <string>

class QSslSocket;
class QTcpSocket;
class QTimer;

namespace skiff::core {
class RateLimitedLog;
}

namespace skiff::kafka {

class RequestDispatcher;

// What every connection of one Kafka listener shares with the others (owned by KafkaServer).
struct KafkaListenerShared {
    const core::KafkaListener &listener;   // which one: Metadata answers with its addresses
    RequestDispatcher &dispatcher;
    KafkaMetrics &metrics;
    RequestReadBudget &readBudget;
    core::RateLimitedLog &log;   // connection closes: one line each, floods summed up
    int64_t maxRequestBytes;     // socket.request.max.bytes
    // SASL listeners: the mechanisms it enables (sasl.enabled.mechanisms) and the users'
    // credentials in the applied metadata image. Empty: no SASL on this listener.
    std::vector<std::string> saslMechanisms = {};
    auth::CredentialLookup credentials = {};
    int64_t reauthMs = 0;   // connections.max.reauth.ms (KIP-368)
};

// One client connection: reads one frame at a time off the socket (within the listener's read
// budget), hands each to the dispatcher and sends the responses in request order. Bad framing,
// a refused request, a frame not whole in time or a long idle closes this connection only, with
// one log line naming the peer.
class KafkaConnection : public QObject, private RequestReadBudget::Reader {
    Q_OBJECT
public:
    KafkaConnection(QTcpSocket *socket, KafkaListenerShared &shared, QObject *parent);
    ~KafkaConnection() override;

    QString peer() const { return m_peer; }
    // Called through Responder, on this thread.
    void complete(uint64_t slot, OutgoingFrame frame);
    // Reads no request for `ms` once the response in `slot` is sent (at once if it was).
    void throttleAfter(uint64_t slot, int64_t ms);
    // The request in `slot` is counted in `variant` of its API too.
    void countAs(uint64_t slot, RequestVariant variant);
    // Reads no request after the one in `slot` and closes once every answer owed (that one's
    // too) is sent: a failed SASL exchange, a Metadata answer without the lease.
    void closeAfter(uint64_t slot, ConnectionCloseReason reason, const std::string &why);
    // Stop reading; close once every pending response is sent (shutdown).
    void closeWhenDrained();
    // Close at once, unanswered requests and all (shutdown deadline passed).
    void abortNow();
    // Closes the connection if its frame in progress or its idleness has outlasted `timeouts`.
    void expireIfDue(const core::ConnectionTimeouts &timeouts, std::chrono::steady_clock::time_point now);

signals:
    void closed(skiff::kafka::KafkaConnection *connection);

private:
    void watchHandshake(QSslSocket *tls);
    void onReadyRead();
    void onBytesWritten();
    void readRequests();
    bool readSize();
    bool readBody();
    void dispatchFrame();
    void flushCompleted();
    // Closes once every byte owed is sent (Qt waits for its own buffer, this for the writer's).
    void disconnectWhenSent();
    void abort(ConnectionCloseReason reason, const std::string &logKey, const std::string &why);
    // True when the SASL authenticator took the frame in `slot` (`apiKey`: read from its header
    // by dispatchFrame).
    bool authenticate(int16_t apiKey, std::string_view frame, uint64_t slot);
    void finish(ConnectionCloseReason reason);
    bool tooBusy() const;
    // A quota throttle: no request is read while a throttled response waits to be sent, nor for
    // its throttle time after (KIP-219: the client is muted, not its answers).
    bool muted() const;
    void muteFor(int64_t ms);
    void readBudgetAvailable() override;

    struct Slot {
        uint64_t id = 0;
        bool done = false;
        OutgoingFrame frame;
        int16_t apiKey = -1;
        int variant = -1;      // RequestVariant it is counted in too (countAs); -1: none
        std::chrono::steady_clock::time_point arrived;
        int64_t throttleMs = 0;   // quota: read nothing for this long once it is sent
    };

    // The slot of a request not yet sent, or null.
    Slot *pendingSlot(uint64_t id);

    QTcpSocket *m_socket;
    KafkaListenerShared &m_shared;
    QString m_peer;
    ClientSession m_session;   // who the requests come from: User:ANONYMOUS until TLS or SASL says
    RequestFrame m_frame;      // the frame being read
    SocketWriter m_writer;     // the responses sent, in order
    std::deque<Slot> m_slots;  // requests awaiting their turn to be answered, oldest first
    uint64_t m_nextSlot = 1;
    std::chrono::steady_clock::time_point m_lastActivity;   // last byte received or sent
    std::optional<std::chrono::steady_clock::time_point> m_handshakeStartedAt;   // TLS, not done yet
    std::unique_ptr<SaslAuthenticator> m_sasl;   // SASL listeners only
    std::optional<ConnectionCloseReason> m_closeReason;   // why it closes once drained, when not shutdown
    std::chrono::steady_clock::time_point m_mutedUntil{};
    size_t m_throttledPending = 0;   // slots with a throttle, not yet sent
    QTimer *m_unmute = nullptr;   // reads again when a throttle ends
    bool m_draining = false;
    bool m_disconnectWhenSent = false;   // draining is over: close once the writer is idle
    bool m_closed = false;
};

} // namespace skiff::kafka
