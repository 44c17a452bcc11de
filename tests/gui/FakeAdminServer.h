#pragma once
// A stand-in for a node's admin socket in the dashboard tests: a QTcpServer speaking the real
// protocol through AdminFraming. It answers GetStatus and Subscribe with a scripted snapshot
// (pushStatus() streams the next one to subscribers), relays scripted events, answers
// DescribePartitions with a scripted list and every mutation with Done (or, when told, refuses
// it as a node would: a wrong token, or a scripted error). Like a node it keeps its events and
// sends them first to a Subscribe with_history (addPastEvent() scripts what happened before the
// dashboard came; setKeepsHistory(false) plays an older node). It records every mutation it receives
// and counts every request by kind. close() and reopen() simulate a node going away and coming
// back on the same port. setTls() makes it a TLS admin socket (admin.ssl.enable), through QSslServer.

#include "admin/AdminFraming.h"
#include "admin/AdminProtocol.h"

#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QTcpServer>

#include <map>
#include <memory>
#include <vector>

class QTcpSocket;

namespace skiff::gui::test {

class FakeAdminServer : public QObject {
    Q_OBJECT
public:
    explicit FakeAdminServer(QObject *parent = nullptr);
    ~FakeAdminServer() override;

    // Before listen(): the node's certificate and key, and for admin.ssl.client.auth the CA and
    // the peer verify mode.
    void setTls(const QSslConfiguration &config);
    bool listen(quint16 port = 0);
    quint16 port() const { return m_port; }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }

    admin::StatusSnapshot &status() { return m_status; }
    admin::PartitionList &partitions() { return m_partitions; }
    // The groups it coordinates, answered to DescribeGroups; setAnswersGroups(false) plays a node
    // older than DescribeGroups (it refuses the request it does not know).
    admin::GroupList &groups() { return m_groups; }
    void setAnswersGroups(bool answers) { m_answersGroups = answers; }
    // Streams the current status to every subscriber.
    void pushStatus();
    // The node's clock in the snapshots it sends (server_time_unix_ms), so rates over it are
    // exact; 0 (the default): the real time of each answer.
    void setServerTimeMs(qint64 ms) { m_serverTimeMs = ms; }
    // As a node makes it: the kind and its name, numbered and kept in its history.
    void pushEvent(admin::EventKind kind, const QString &text, const admin::LeaderMoves &moves = {});
    // An event that happened before anyone subscribed (at `timeMs`, the node's clock): kept in
    // the history a Subscribe with_history is sent first, not streamed.
    void addPastEvent(admin::EventKind kind, const QString &text, qint64 timeMs, const admin::LeaderMoves &moves = {});
    // false: like a node older than event histories, with_history is ignored.
    void setKeepsHistory(bool keeps) { m_keepsHistory = keeps; }

    // Drops every connection and stops listening; reopen() listens again on the same port.
    void close();
    bool reopen();

    int subscribers() const;
    int connectionsAccepted() const { return m_accepted; }
    // With TLS: the common name of the client certificate of every connection whose handshake
    // completed ("" for a connection without one), and the handshakes that failed, with why.
    const QStringList &clientCertificates() const { return m_clientCertificates; }
    const QStringList &handshakeFailures() const { return m_handshakeFailures; }
    // Every mutating request received, refused or not, with the token it carried.
    std::vector<admin::Request> &mutations() { return m_mutations; }
    int requestsReceived(admin::Request::BodyCase kind) const;

    // Like a node with admin.token set: a mutation carrying another token is refused with
    // ERROR_CODE_UNAUTHORIZED. Empty (the default): no token needed.
    void setRequiredToken(const QString &token) { m_requiredToken = token; }
    // Like a node that refuses a whole connection (no client certificate, plaintext on its TLS
    // socket): every new connection gets one answer with request id 0 and this error, then is closed.
    void refuseConnections(admin::ErrorCode code, const QString &message)
    {
        m_connectionRefusal = code;
        m_connectionRefusalMessage = message;
    }
    // Every mutation from now on is answered with this error (ERROR_CODE_NONE: Done again).
    void refuseMutations(admin::ErrorCode code, const QString &message)
    {
        m_refusal = code;
        m_refusalMessage = message;
    }

private:
    struct Client {
        QTcpSocket *socket;
        admin::AdminFrameDecoder decoder{admin::kMaxRequestFrameBytes};
        uint64_t subscribeId = 0;
        bool subscribed = false;
    };
    void onNewConnection();
    void onReadyRead(Client *client);
    void send(Client *client, admin::Response &response);
    admin::Event makeEvent(admin::EventKind kind, const QString &text, qint64 timeMs, const admin::LeaderMoves &moves);

    std::unique_ptr<QTcpServer> m_server;
    quint16 m_port = 0;
    admin::StatusSnapshot m_status;
    admin::PartitionList m_partitions;
    admin::GroupList m_groups;
    bool m_answersGroups = true;
    std::vector<admin::Event> m_history;
    uint64_t m_nextSequence = 1;
    bool m_keepsHistory = true;
    std::vector<std::unique_ptr<Client>> m_clients;
    std::vector<admin::Request> m_mutations;
    std::map<int, int> m_received;   // body case -> requests
    QString m_requiredToken;
    admin::ErrorCode m_refusal = admin::ERROR_CODE_NONE;
    QString m_refusalMessage;
    int m_accepted = 0;
    QStringList m_clientCertificates;
    QStringList m_handshakeFailures;
    qint64 m_serverTimeMs = 0;
    admin::ErrorCode m_connectionRefusal = admin::ERROR_CODE_NONE;
    QString m_connectionRefusalMessage;
};

// A snapshot as a healthy node of a 3-node cluster would send it.
// A histogram in the node's bucket layout: `base` with `micros` recorded on top (cumulative, as a
// node sends it).
admin::Histogram histogramOf(const std::vector<int64_t> &micros, const admin::Histogram &base = {});

admin::StatusSnapshot healthySnapshot(uint64_t nodeId, uint64_t leader, uint64_t term, const std::vector<QString> &adminAddresses = {});

} // namespace skiff::gui::test
