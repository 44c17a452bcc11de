#include "cluster/peer/PeerTransport.h"

#include "cluster/peer/PeerBackoff.h"
#include "cluster/peer/PeerConnection.h"
#include "cluster/peer/PeerFraming.h"
#include "cluster/peer/PeerHandshake.h"
#include "cluster/peer/PeerLog.h"
#include "core/RateLimitedLog.h"
#include "net/ServerTls.h"
#include "net/TcpListener.h"
#include "net/TlsSettings.h"

#include <QHostAddress>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <optional>
#include <utility>

namespace skiff::cluster {
namespace {

// Distinct connect-failure / refusal lines remembered per link for "log once"; past this the set
// is cleared rather than grown (a flapping address must not leak memory).
constexpr qsizetype kMaxRememberedReasons = 64;

struct HostPort {
    QString host;
    quint16 port = 0;
};

// "host:port" or "[v6]:port".
std::optional<HostPort> parseHostPort(const QString &address)
{
    const qsizetype colon = address.lastIndexOf(u':');
    if (colon <= 0 || colon == address.size() - 1)
        return std::nullopt;
    QString host = address.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = address.mid(colon + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535 || host.isEmpty())
        return std::nullopt;
    return HostPort{host, quint16(port)};
}

void enterState(PeerLinkStatus &status, PeerLinkState state)
{
    if (status.state == state)
        return;
    status.state = state;
    status.since = QDateTime::currentDateTimeUtc();
}

// Inserts `reason` into `seen`; true if it was not there (i.e. it should be logged).
bool firstTime(QSet<QString> &seen, const QString &reason)
{
    if (seen.contains(reason))
        return false;
    if (seen.size() >= kMaxRememberedReasons)
        seen.clear();
    seen.insert(reason);
    return true;
}

bool isHandshakeOrEmpty(const PeerFrame &frame)
{
    return frame.body_case() == PeerFrame::BODY_NOT_SET || frame.has_hello() || frame.has_hello_reply();
}

} // namespace

struct PeerTransport::OutboundLink {
    PeerLinkStatus status;
    HostPort target;
    bool addressValid = false;
    PeerConnection *connection = nullptr;   // the current attempt or the up link
    bool up = false;
    std::unique_ptr<QTimer> redial;
    PeerBackoff backoff;
    QSet<QString> loggedReasons;   // failures and refusals logged since the link was last up
};

struct PeerTransport::InboundLink {
    PeerLinkStatus status;
    PeerConnection *connection = nullptr;   // the handshaken connection, if one is open
};

PeerTransport::PeerTransport(PeerIdentity self, QObject *parent)
    : QObject(parent), m_self(std::move(self)),
      m_anonymousRefusals(new core::RateLimitedLog(core::LogFlood::PeerLinkRefused, lcPeer, this))
{
}

PeerTransport::~PeerTransport()
{
    // Connections first and silently: their closing must not call back into half-destroyed maps.
    QList<PeerConnection *> connections = m_inboundConnections.keys();
    for (auto &[id, link] : m_outbound)
        if (link->connection)
            connections.append(link->connection);
    for (PeerConnection *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        delete connection;
    }
}

Status PeerTransport::listen(const QString &host, quint16 port)
{
    if (m_server)
        return failedPrecondition("peer transport already listens on port " + std::to_string(m_server->serverPort()));
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host))
        return invalidArgument("raft listen host '" + host.toStdString() + "' is not an IP address");
    auto *server = new net::TcpListener(QStringLiteral("raft.listen"), lcPeer, this);
    if (m_tls)
        server->setSocketFactory([tls = m_tls](QObject *parent) {
            QSslSocket *socket = tls->makeSocket(parent);
            socket->setPeerVerifyMode(QSslSocket::VerifyPeer);   // mutual: no certificate, no link
            return socket;
        });
    if (!server->listen(address, port)) {
        const Status status = ioError("cannot listen for peer links on " + host.toStdString() + ":" +
                                      std::to_string(port) + ": " + server->errorString().toStdString());
        delete server;
        return status;
    }
    m_server = server;
    connect(m_server, &net::TcpListener::newConnection, this, &PeerTransport::onNewConnection);
    const std::string &advertised = m_self.raftAddress;
    if (advertised.empty() || advertised.ends_with(":0"))
        m_self.raftAddress = host.toStdString() + ":" + std::to_string(m_server->serverPort());
    qCInfo(lcPeer).noquote() << QStringLiteral("node %1 accepts peer links on %2:%3")
                                    .arg(m_self.nodeId)
                                    .arg(host)
                                    .arg(m_server->serverPort());
    return Status::ok();
}

Status PeerTransport::enableTls(const net::TlsFiles &files)
{
    m_tls = new net::ServerTls(files, QStringLiteral("raft peer links"), lcPeer, this);
    return m_tls->load();
}

void PeerTransport::reloadTls(const QString &why)
{
    if (m_tls)
        m_tls->reload(why);
}

quint16 PeerTransport::listenPort() const
{
    return m_server ? m_server->serverPort() : 0;
}

PeerConnection *PeerTransport::makeConnection(QTcpSocket *socket)
{
    return new PeerConnection(socket, kDefaultMaxPeerFrameBytes, m_maxOutboundBufferBytes, this);
}

void PeerTransport::retire(PeerConnection *connection)
{
    m_inboundConnections.remove(connection);
    // Later: we may be inside one of its signals.
    connection->deleteLater();
}

// ---- outbound ---------------------------------------------------------------------------------

void PeerTransport::setPeer(uint64_t id, const QString &address)
{
    if (auto it = m_outbound.find(id); it != m_outbound.end()) {
        if (it->second->status.address == address)
            return;
        const QString reason = QStringLiteral("node %1 moved from %2 to %3").arg(id).arg(it->second->status.address, address);
        const bool wasUp = dropOutbound(*it->second, reason);
        m_outbound.erase(it);
        if (wasUp)
            emit linkDown(id, reason);
    }
    auto link = std::make_unique<OutboundLink>();
    link->status.peerId = id;
    link->status.address = address;
    link->status.direction = PeerLinkDirection::Outbound;
    link->status.state = PeerLinkState::Down;
    link->status.since = QDateTime::currentDateTimeUtc();
    link->redial = std::make_unique<QTimer>(this);   // parented: moves with us to our thread
    link->redial->setSingleShot(true);
    connect(link->redial.get(), &QTimer::timeout, this, [this, id]() {
        if (auto it = m_outbound.find(id); it != m_outbound.end())
            dial(*it->second);
    });
    if (auto target = parseHostPort(address)) {
        link->target = *target;
        link->addressValid = true;
    } else {
        link->status.lastError = QStringLiteral("invalid peer address '%1': expected host:port").arg(address);
        qCWarning(lcPeer).noquote() << QStringLiteral("node %1: %2").arg(id).arg(link->status.lastError);
    }
    OutboundLink &ref = *link;
    m_outbound.emplace(id, std::move(link));
    dial(ref);
}

void PeerTransport::removePeer(uint64_t id)
{
    auto it = m_outbound.find(id);
    if (it == m_outbound.end())
        return;
    const QString reason = QStringLiteral("node %1 removed from the peer set").arg(id);
    const bool wasUp = dropOutbound(*it->second, reason);
    m_outbound.erase(it);
    if (wasUp)
        emit linkDown(id, reason);
}

bool PeerTransport::dropOutbound(OutboundLink &link, const QString &reason)
{
    link.redial->stop();
    if (PeerConnection *connection = link.connection) {
        disconnect(connection, nullptr, this, nullptr);
        connection->close(reason);
        retire(connection);
        link.connection = nullptr;
    }
    return std::exchange(link.up, false);
}

void PeerTransport::dial(OutboundLink &link)
{
    if (!link.addressValid || link.connection)
        return;
    const uint64_t id = link.status.peerId;
    QSslSocket *tls = nullptr;
    if (m_tls) {
        tls = new QSslSocket;
        tls->setSslConfiguration(m_tls->clientConfiguration());
    }
    QTcpSocket *socket = tls ? tls : new QTcpSocket;
    PeerConnection *connection = makeConnection(socket);
    link.connection = connection;
    connect(connection, &PeerConnection::connected, this, [this, id, connection]() { onOutboundConnected(id, connection); });
    connect(connection, &PeerConnection::frameReceived, this,
            [this, id, connection](const PeerFrame &frame, qint64 wireBytes) {
                onOutboundFrame(id, connection, frame, wireBytes);
            });
    connect(connection, &PeerConnection::closed, this,
            [this, id, connection](const QString &reason) { onOutboundClosed(id, connection, reason); });
    // A peer that accepts TCP but never answers the Hello must not hold the link forever.
    QTimer::singleShot(kConnectTimeoutMs, connection, [this, id, connection]() {
        auto it = m_outbound.find(id);
        if (it != m_outbound.end() && it->second->connection == connection && !it->second->up)
            connection->close(QStringLiteral("no handshake reply within %1 ms").arg(kConnectTimeoutMs));
    });
    // A refused link stays Refused while it retries: the refusal is what the operator must see.
    if (link.status.state != PeerLinkState::Refused)
        enterState(link.status, PeerLinkState::Connecting);
    // May fail synchronously: last. Over TLS the peer's certificate must be made out for the
    // host we dial (Qt checks it as any TLS client does).
    if (tls)
        tls->connectToHostEncrypted(link.target.host, link.target.port);
    else
        socket->connectToHost(link.target.host, link.target.port);
}

void PeerTransport::scheduleRedial(OutboundLink &link)
{
    link.redial->start(link.backoff.nextDelay());
}

void PeerTransport::onOutboundConnected(uint64_t id, PeerConnection *connection)
{
    auto it = m_outbound.find(id);
    if (it == m_outbound.end() || it->second->connection != connection)
        return;
    OutboundLink &link = *it->second;
    ++link.status.connects;
    if (link.status.state != PeerLinkState::Refused)
        enterState(link.status, PeerLinkState::Handshaking);
    PeerFrame hello;
    *hello.mutable_hello() = makePeerHello(m_self, id);
    const qint64 bytes = connection->send(hello);
    if (bytes > 0) {
        link.status.bytesSent += uint64_t(bytes);
        ++link.status.framesSent;
    }
}

void PeerTransport::onOutboundFrame(uint64_t id, PeerConnection *connection, const PeerFrame &frame, qint64 wireBytes)
{
    auto it = m_outbound.find(id);
    if (it == m_outbound.end() || it->second->connection != connection)
        return;
    OutboundLink &link = *it->second;
    link.status.bytesReceived += uint64_t(wireBytes);
    ++link.status.framesReceived;
    if (!link.up) {
        if (!frame.has_hello_reply()) {
            const QString reason = QStringLiteral("%1 sent a %2 frame before its handshake reply")
                                       .arg(link.status.address, QLatin1String(peerFrameBodyName(frame)));
            connection->closeForProtocolError(reason);   // logged once by onOutboundClosed
            return;
        }
        const Status verdict =
            checkPeerHelloReply(m_self, id, link.status.address.toStdString(), frame.hello_reply());
        if (!verdict.isOk()) {
            const QString line = QString::fromStdString(verdict.message());
            refuseOutbound(link, line);   // may emit linkRefused, whose slot may removePeer
            connection->close(line);      // safe: retired connections are deleted later
            return;
        }
        link.up = true;
        link.backoff.reset();
        link.loggedReasons.clear();
        enterState(link.status, PeerLinkState::Up);
        qCInfo(lcPeer).noquote() << QStringLiteral("peer link to node %1 at %2 up").arg(id).arg(link.status.address);
        emit linkUp(id);
        return;
    }
    if (frame.has_hello() || frame.has_hello_reply()) {
        const QString reason = QStringLiteral("%1 sent a second handshake frame").arg(link.status.address);
        connection->closeForProtocolError(reason);   // logged by onOutboundClosed ("down: ...")
        return;
    }
    emit frameReceived(id, frame);
}

void PeerTransport::refuseOutbound(OutboundLink &link, const QString &line)
{
    enterState(link.status, PeerLinkState::Refused);
    link.status.lastError = line;
    if (firstTime(link.loggedReasons, line)) {
        qCWarning(lcPeer).noquote() << QStringLiteral("peer link to node %1 refused: %2").arg(link.status.peerId).arg(line);
        emit linkRefused(link.status.peerId, line);
    }
}

void PeerTransport::onOutboundClosed(uint64_t id, PeerConnection *connection, const QString &reason)
{
    retire(connection);
    auto it = m_outbound.find(id);
    if (it == m_outbound.end() || it->second->connection != connection)
        return;
    OutboundLink &link = *it->second;
    link.connection = nullptr;
    scheduleRedial(link);
    if (link.up) {
        link.up = false;
        enterState(link.status, PeerLinkState::Down);
        link.status.lastError = reason;
        qCWarning(lcPeer).noquote()
            << QStringLiteral("peer link to node %1 at %2 down: %3").arg(id).arg(link.status.address, reason);
        emit linkDown(id, reason);
        return;
    }
    if (link.status.state == PeerLinkState::Refused)
        return;   // keep showing the refusal while retrying
    enterState(link.status, PeerLinkState::Down);
    link.status.lastError = reason;
    if (!firstTime(link.loggedReasons, reason))
        return;   // the same failure on every retry is logged once, until the link is next up
    const QString line = QStringLiteral("cannot reach node %1 at %2: %3 (retrying with backoff)")
                             .arg(id)
                             .arg(link.status.address, reason);
    // Garbage from what should be a peer is a misconfiguration; a refused connect is routine
    // while a peer starts.
    if (connection->closedForProtocolError())
        qCWarning(lcPeer).noquote() << line;
    else
        qCInfo(lcPeer).noquote() << line;
}

// ---- inbound ----------------------------------------------------------------------------------

void PeerTransport::onNewConnection()
{
    while (m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        PeerConnection *connection = makeConnection(socket);
        m_inboundConnections.insert(connection, 0);
        if (auto *tls = qobject_cast<QSslSocket *>(socket))
            tls->startServerEncryption();
        connect(connection, &PeerConnection::frameReceived, this,
                [this, connection](const PeerFrame &frame, qint64 wireBytes) {
                    onInboundFrame(connection, frame, wireBytes);
                });
        connect(connection, &PeerConnection::closed, this,
                [this, connection](const QString &reason) { onInboundClosed(connection, reason); });
        // Something that connects and says nothing is not a peer; do not hold its socket.
        QTimer::singleShot(kHandshakeTimeoutMs, connection, [this, connection]() {
            if (m_inboundConnections.value(connection, 1) == 0 && !connection->isClosed())
                connection->close(QStringLiteral("no Hello within %1 ms").arg(kHandshakeTimeoutMs));
        });
    }
}

PeerTransport::InboundLink &PeerTransport::inboundRow(uint64_t id)
{
    if (auto it = m_inbound.find(id); it != m_inbound.end())
        return *it->second;
    if (qsizetype(m_inbound.size()) >= kMaxInboundStatusRows) {
        // Any node id can be claimed by whoever connects: evict the stalest closed row.
        auto stalest = m_inbound.end();
        for (auto it = m_inbound.begin(); it != m_inbound.end(); ++it)
            if (!it->second->connection && (stalest == m_inbound.end() || it->second->status.since < stalest->second->status.since))
                stalest = it;
        if (stalest != m_inbound.end())
            m_inbound.erase(stalest);
    }
    auto row = std::make_unique<InboundLink>();
    row->status.peerId = id;
    row->status.direction = PeerLinkDirection::Inbound;
    row->status.state = PeerLinkState::Down;
    row->status.since = QDateTime::currentDateTimeUtc();
    return *m_inbound.emplace(id, std::move(row)).first->second;
}

void PeerTransport::onInboundFrame(PeerConnection *connection, const PeerFrame &frame, qint64 wireBytes)
{
    auto found = m_inboundConnections.constFind(connection);
    if (found == m_inboundConnections.cend())
        return;
    const uint64_t from = found.value();
    if (from == 0) {
        if (!frame.has_hello()) {
            const QString reason = QStringLiteral("%1 sent a %2 frame before its Hello")
                                       .arg(connection->endpoint(), QLatin1String(peerFrameBodyName(frame)));
            connection->closeForProtocolError(reason);   // logged by onInboundClosed
            return;
        }
        acceptHello(connection, frame.hello(), wireBytes);
        return;
    }
    InboundLink &row = inboundRow(from);
    row.status.bytesReceived += uint64_t(wireBytes);
    ++row.status.framesReceived;
    if (frame.has_hello() || frame.has_hello_reply()) {
        const QString reason = QStringLiteral("node %1 sent a second handshake frame").arg(from);
        connection->closeForProtocolError(reason);   // logged by onInboundClosed
        return;
    }
    emit frameReceived(from, frame);
}

void PeerTransport::acceptHello(PeerConnection *connection, const Hello &hello, qint64 wireBytes)
{
    Status verdict = checkPeerHello(m_self, hello, connection->endpoint().toStdString());
    if (verdict.isOk() && m_tls)
        verdict = checkPeerCertificate(connection, hello);
    if (verdict.isOk() && m_admission)
        verdict = m_admission(hello);
    PeerFrame reply;
    *reply.mutable_hello_reply() = makePeerHelloReply(m_self, verdict);
    const qint64 replyBytes = connection->send(reply);
    const uint64_t from = hello.from_node();
    const QString address =
        hello.from_raft_address().empty() ? connection->endpoint() : QString::fromStdString(hello.from_raft_address());

    if (!verdict.isOk()) {
        const QString line = QString::fromStdString(verdict.message());
        if (from != 0 && from != m_self.nodeId) {
            InboundLink &row = inboundRow(from);
            if (!row.connection) {   // a live link from that node is not undone by an impostor
                row.status.address = address;
                enterState(row.status, PeerLinkState::Refused);
                row.status.lastError = line;
            }
        }
        if (m_loggedInboundRefusals.size() >= kMaxInboundStatusRows)
            m_loggedInboundRefusals.clear();
        const bool fresh = firstTime(m_loggedInboundRefusals[from], line);
        connection->closeAfterFlush(line);   // the reply goes out first, so both sides log the line
        if (fresh) {
            qCWarning(lcPeer).noquote() << QStringLiteral("refused inbound peer link: %1").arg(line);
            emit linkRefused(from, line);
        }
        return;
    }

    InboundLink &row = inboundRow(from);
    if (row.connection && row.connection != connection) {
        // The node reconnected (its old socket may linger half-open): the newest link wins.
        PeerConnection *old = row.connection;
        disconnect(old, nullptr, this, nullptr);
        old->close(QStringLiteral("replaced by a newer link from node %1").arg(from));
        retire(old);
    }
    row.connection = connection;
    m_inboundConnections[connection] = from;
    m_loggedInboundRefusals.remove(from);
    row.status.address = address;
    ++row.status.connects;
    row.status.bytesReceived += uint64_t(wireBytes);
    ++row.status.framesReceived;
    if (replyBytes > 0) {
        row.status.bytesSent += uint64_t(replyBytes);
        ++row.status.framesSent;
    }
    enterState(row.status, PeerLinkState::Up);
    qCInfo(lcPeer).noquote() << QStringLiteral("inbound peer link from node %1 at %2 up").arg(from).arg(address);
}

Status PeerTransport::checkPeerCertificate(PeerConnection *connection, const Hello &hello) const
{
    // The address this node dials that peer at when it has one (a claim cannot change it), else
    // the one the Hello gives (a joiner): the certificate must be made out for its host.
    QString address = QString::fromStdString(hello.from_raft_address());
    if (auto it = m_outbound.find(hello.from_node()); it != m_outbound.end())
        address = it->second->status.address;
    const auto target = parseHostPort(address);
    const auto *tls = qobject_cast<const QSslSocket *>(connection->socket());
    const std::string host = target ? target->host.toStdString() : address.toStdString();
    const Status named = tls ? net::certificateNamesHost(tls->peerCertificate(), host) : failedPrecondition("no TLS");
    if (named.isOk())
        return named;
    return failedPrecondition("node " + std::to_string(hello.from_node()) + " at " + connection->endpoint().toStdString()
                              + " is refused: " + named.message() + ", the host of its raft address " + address.toStdString());
}

void PeerTransport::onInboundClosed(PeerConnection *connection, const QString &reason)
{
    const uint64_t from = m_inboundConnections.value(connection, 0);
    retire(connection);
    if (connection->closedForProtocolError()) {
        if (from)
            qCWarning(lcPeer).noquote() << QStringLiteral("closed inbound peer link from node %1: %2").arg(from).arg(reason);
        else
            m_anonymousRefusals->warning(connection->endpoint().section(QLatin1Char(':'), 0, -2).toStdString(),
                                         QStringLiteral("closed inbound peer link from %1: %2").arg(connection->endpoint(), reason).toStdString());
    }
    if (from == 0)
        return;
    auto it = m_inbound.find(from);
    if (it == m_inbound.end() || it->second->connection != connection)
        return;
    it->second->connection = nullptr;
    enterState(it->second->status, PeerLinkState::Down);
    it->second->status.lastError = reason;
    if (!connection->closedForProtocolError())
        qCInfo(lcPeer).noquote() << QStringLiteral("inbound peer link from node %1 closed: %2").arg(from).arg(reason);
}

// ---- sending and status -----------------------------------------------------------------------

bool PeerTransport::send(uint64_t to, const PeerFrame &frame)
{
    if (isHandshakeOrEmpty(frame))
        return false;   // the handshake is ours; an empty frame would close the link at the peer
    auto out = m_outbound.find(to);
    if (out != m_outbound.end() && out->second->up && out->second->connection) {
        PeerLinkStatus &status = out->second->status;
        const qint64 bytes = out->second->connection->send(frame);
        if (bytes < 0) {
            ++status.framesDropped;
            return false;
        }
        status.bytesSent += uint64_t(bytes);
        ++status.framesSent;
        return true;
    }
    // Fallback: a node that dialled us but that we do not dial (a joiner not yet a member).
    if (auto in = m_inbound.find(to); in != m_inbound.end() && in->second->connection) {
        PeerLinkStatus &status = in->second->status;
        const qint64 bytes = in->second->connection->send(frame);
        if (bytes >= 0) {
            status.bytesSent += uint64_t(bytes);
            ++status.framesSent;
            return true;
        }
        ++status.framesDropped;
        return false;
    }
    if (out != m_outbound.end())
        ++out->second->status.framesDropped;
    return false;
}

QList<PeerLinkStatus> PeerTransport::linkStatus() const
{
    QList<PeerLinkStatus> rows;
    rows.reserve(qsizetype(m_outbound.size() + m_inbound.size()));
    for (const auto &[id, link] : m_outbound)
        rows.append(link->status);
    for (const auto &[id, link] : m_inbound)
        rows.append(link->status);
    return rows;
}

} // namespace skiff::cluster
