#include "FakeAdminServer.h"

#include "admin/AdminProtocol.h"
#include "metrics/HistogramBuckets.h"

#include <QDateTime>
#include <QSslCertificate>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>

namespace skiff::gui::test {

FakeAdminServer::FakeAdminServer(QObject *parent) : QObject(parent), m_server(std::make_unique<QTcpServer>())
{
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &FakeAdminServer::onNewConnection);
}

void FakeAdminServer::setTls(const QSslConfiguration &config)
{
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(config);
    // A connection is pending only once its handshake is done; the failed ones are recorded.
    connect(server.get(), &QSslServer::errorOccurred, this, [this](QSslSocket *socket, QAbstractSocket::SocketError) {
        m_handshakeFailures << socket->errorString();
    });
    connect(server.get(), &QSslServer::peerVerifyError, this,
            [this](QSslSocket *, const QSslError &error) { m_handshakeFailures << error.errorString(); });
    connect(server.get(), &QTcpServer::pendingConnectionAvailable, this, &FakeAdminServer::onNewConnection);
    m_server = std::move(server);
}

FakeAdminServer::~FakeAdminServer() { close(); }

bool FakeAdminServer::listen(quint16 port)
{
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server->serverPort();
    return true;
}

bool FakeAdminServer::reopen() { return listen(m_port); }

void FakeAdminServer::close()
{
    m_server->close();
    for (auto &c : m_clients) {
        c->socket->disconnect(this);
        c->socket->abort();
        c->socket->deleteLater();
    }
    m_clients.clear();
}

int FakeAdminServer::subscribers() const
{
    int n = 0;
    for (const auto &c : m_clients)
        n += c->subscribed ? 1 : 0;
    return n;
}

int FakeAdminServer::requestsReceived(admin::Request::BodyCase kind) const
{
    const auto it = m_received.find(int(kind));
    return it == m_received.end() ? 0 : it->second;
}

void FakeAdminServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ++m_accepted;
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            const QStringList names = ssl->peerCertificate().subjectInfo(QSslCertificate::CommonName);
            m_clientCertificates << (names.isEmpty() ? QString() : names.first());
        }
        auto client = std::make_unique<Client>();
        client->socket = socket;
        Client *raw = client.get();
        m_clients.push_back(std::move(client));
        if (m_connectionRefusal != admin::ERROR_CODE_NONE) {
            admin::Response refusal;
            refusal.set_request_id(0);
            refusal.set_error_code(m_connectionRefusal);
            refusal.set_error_message(m_connectionRefusalMessage.toStdString());
            send(raw, refusal);
            socket->disconnectFromHost();
        }
        connect(socket, &QTcpSocket::readyRead, this, [this, raw] { onReadyRead(raw); });
        connect(socket, &QTcpSocket::disconnected, this, [this, raw] {
            for (auto it = m_clients.begin(); it != m_clients.end(); ++it)
                if (it->get() == raw) {
                    raw->socket->deleteLater();
                    m_clients.erase(it);
                    return;
                }
        });
    }
}

void FakeAdminServer::send(Client *client, admin::Response &response)
{
    response.set_protocol_version(admin::kProtocolVersion);
    client->socket->write(admin::encodeAdminFrame(response));
}

void FakeAdminServer::onReadyRead(Client *client)
{
    client->decoder.feed(client->socket->readAll());
    for (;;) {
        admin::Request request;
        auto parsed = client->decoder.next(request);
        if (!parsed.isOk()) {
            client->socket->disconnectFromHost();   // as a node does: a malformed frame closes the connection
            return;
        }
        if (!parsed.value())
            return;
        ++m_received[int(request.body_case())];
        admin::Response response;
        response.set_request_id(request.request_id());
        m_status.set_server_time_unix_ms(m_serverTimeMs ? m_serverTimeMs : QDateTime::currentMSecsSinceEpoch());
        switch (request.body_case()) {
        case admin::Request::kGetStatus:
            *response.mutable_status() = m_status;
            break;
        case admin::Request::kSubscribe:
            client->subscribed = true;
            client->subscribeId = request.request_id();
            if (request.subscribe().with_history() && m_keepsHistory) {
                admin::Response history;
                history.set_request_id(request.request_id());
                history.mutable_history()->set_capacity(uint32_t(admin::kEventHistoryCapacity));
                for (const admin::Event &e : m_history)
                    *history.mutable_history()->add_events() = e;
                send(client, history);
            }
            *response.mutable_status() = m_status;
            break;
        case admin::Request::kDescribePartitions:
            *response.mutable_partitions() = m_partitions;
            break;
        case admin::Request::kDescribeGroups:
            if (m_answersGroups) {
                *response.mutable_groups() = m_groups;
            } else {
                response.set_error_code(admin::ERROR_CODE_INVALID_REQUEST);
                response.set_error_message("the request names no operation this node knows (a newer skiffctl?)");   // the node's wording
            }
            break;
        default:
            if (admin::isMutating(request)) {
                m_mutations.push_back(request);
                if (!m_requiredToken.isEmpty() && QString::fromStdString(request.token()) != m_requiredToken) {
                    response.set_error_code(admin::ERROR_CODE_UNAUTHORIZED);
                    // The node's wording (AdminRequestHandler).
                    response.set_error_message(std::string(admin::requestKindName(request)) +
                                               " needs the node's admin.token (skiffctl --token, or the dashboard profile's Token)");
                } else if (m_refusal != admin::ERROR_CODE_NONE) {
                    response.set_error_code(m_refusal);
                    response.set_error_message(m_refusalMessage.toStdString());
                } else {
                    response.mutable_done()->set_detail("done by the fake");
                }
            } else {
                response.set_error_code(admin::ERROR_CODE_INVALID_REQUEST);
                response.set_error_message("the fake does not answer this");
            }
        }
        send(client, response);
    }
}

void FakeAdminServer::pushStatus()
{
    m_status.set_server_time_unix_ms(m_serverTimeMs ? m_serverTimeMs : QDateTime::currentMSecsSinceEpoch());
    for (auto &c : m_clients) {
        if (!c->subscribed)
            continue;
        admin::Response response;
        response.set_request_id(c->subscribeId);
        *response.mutable_status() = m_status;
        send(c.get(), response);
    }
}

admin::Event FakeAdminServer::makeEvent(admin::EventKind kind, const QString &text, qint64 timeMs, const admin::LeaderMoves &moves)
{
    admin::Event e;
    e.set_event_kind(kind);
    e.set_kind(admin::eventKindName(kind));
    e.set_text(text.toStdString());
    e.set_time_unix_ms(timeMs);
    e.set_node_id(m_status.node_id());
    if (m_keepsHistory) {   // an older node numbers nothing
        e.set_sequence(m_nextSequence++);
        e.set_incarnation_id(m_status.incarnation_id());
    }
    if (moves.moves_size() > 0)
        *e.mutable_leader_moves() = moves;
    return e;
}

void FakeAdminServer::addPastEvent(admin::EventKind kind, const QString &text, qint64 timeMs, const admin::LeaderMoves &moves)
{
    m_history.push_back(makeEvent(kind, text, timeMs, moves));
}

void FakeAdminServer::pushEvent(admin::EventKind kind, const QString &text, const admin::LeaderMoves &moves)
{
    const admin::Event e = makeEvent(kind, text, QDateTime::currentMSecsSinceEpoch(), moves);
    if (m_keepsHistory)
        m_history.push_back(e);
    for (auto &c : m_clients) {
        if (!c->subscribed)
            continue;
        admin::Response response;
        response.set_request_id(c->subscribeId);
        *response.mutable_event() = e;
        send(c.get(), response);
    }
}

admin::Histogram histogramOf(const std::vector<int64_t> &micros, const admin::Histogram &base)
{
    using metrics::HistogramBuckets;
    admin::Histogram h = base;
    if (h.bucket_counts_size() == 0)
        for (size_t i = 0; i < HistogramBuckets::kBucketCount; ++i)
            h.add_bucket_counts(0);
    for (int64_t v : micros) {
        const size_t b = HistogramBuckets::bucketFor(v);
        h.set_bucket_counts(int(b), h.bucket_counts(int(b)) + 1);
        h.set_count(h.count() + 1);
        h.set_max(std::max(h.max(), v));
    }
    return h;
}

admin::StatusSnapshot healthySnapshot(uint64_t nodeId, uint64_t leader, uint64_t term, const std::vector<QString> &adminAddresses)
{
    admin::StatusSnapshot s;
    s.set_node_id(nodeId);
    s.set_cluster_id("fake-cluster");
    s.mutable_build()->set_version("0.1.0");
    s.mutable_build()->set_git_hash("abcdef123456");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    s.set_process_start_unix_ms(now - 3'725'000);
    s.set_server_time_unix_ms(now);
    s.set_incarnation_id("inc-" + std::to_string(nodeId));
    s.set_startup_state("ready");
    s.set_role(nodeId == leader ? "leader" : "follower");
    s.set_leader_id(leader);
    s.set_term(term);
    s.set_commit(100);
    s.set_applied(100);
    s.set_ready(true);
    s.set_ready_iterations(1000);
    s.set_max_loop_gap_ms(60);
    for (uint64_t v : {1, 2, 3})
        s.add_voters(v);
    for (uint64_t b = 1; b <= 3; ++b) {
        admin::Broker *broker = s.add_brokers();
        broker->set_id(b);
        broker->set_host("127.0.0.1");
        broker->set_port(uint32_t(9000 + b));
        broker->set_incarnation_id("inc-" + std::to_string(b));
        if (b <= adminAddresses.size())
            broker->set_admin_address(adminAddresses[b - 1].toStdString());
        if (nodeId == leader) {
            broker->set_heartbeat_known(true);
            broker->set_last_heartbeat_age_ms(120);
        }
        if (b != nodeId) {
            admin::PeerLink *l = s.add_links();
            l->set_peer(b);
            l->set_address("127.0.0.1:" + std::to_string(9100 + b));
            l->set_state("up");
        }
    }
    admin::LockClass *lock = s.add_locks();
    lock->set_name("log.partition");
    lock->set_acquisitions(5000);
    lock->set_contended(40);
    admin::Histogram *h = lock->mutable_wait_micros();
    h->set_count(40);
    h->set_p50(12);
    h->set_p99(900);
    h->set_max(1500);
    for (int i = 0; i < 200; ++i)
        h->add_bucket_counts(i >= 8 && i < 60 ? uint64_t(1 + (i % 7)) : 0);
    s.set_topic_count(1);
    s.set_partition_count(2);
    return s;
}

} // namespace skiff::gui::test
