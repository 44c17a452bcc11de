#pragma once

#include "cluster.pb.h"
#include "cluster/peer/PeerIdentity.h"
#include "cluster/peer/PeerLinkStatus.h"
#include "common/Status.h"
#include "net/TlsFiles.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

class QTcpSocket;

namespace skiff::net {
class ServerTls;
class TcpListener;
}

namespace skiff::core {
class RateLimitedLog;
}

namespace skiff::cluster {

class PeerConnection;

// The links between this node and its peers. Lives on one thread (the Raft thread): every call
// returns at once, sockets are driven by that thread's event loop, nothing ever blocks.
//
// Direction: each node dials every peer it was given (setPeer) and sends on that outbound link;
// links other nodes dialled to us (inbound) are for receiving. One exception: send(to) falls
// back to an inbound link from `to` when no outbound link to `to` is up, so a node can answer a
// joiner that is not (yet) in its peer set. Frames from both directions arrive as frameReceived.
//
// Down links drop frames (send returns false; Raft retries), and a full outbound buffer drops
// frames too: nothing queues without bound while a peer is slow or away.
class PeerTransport : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultMaxOutboundBufferBytes = 64 << 20;
    static constexpr int kConnectTimeoutMs = 5000;     // TCP connect + handshake, dialler side
    static constexpr int kHandshakeTimeoutMs = 5000;   // until a Hello arrives, listener side
    static constexpr int kMaxInboundStatusRows = 256;  // rows kept for nodes that dialled us

    explicit PeerTransport(PeerIdentity self, QObject *parent = nullptr);
    ~PeerTransport() override;

    // Accepts inbound links on host:port (port 0 = any free port; see listenPort()). If our
    // raftAddress is empty or ends in ":0" it becomes host:<bound port>, as the Hello must carry
    // an address others can dial.
    Status listen(const QString &host, quint16 port);
    // raft.ssl.enable, before listen(): every link, both ways, over mutual TLS with these files;
    // a peer's certificate must chain to their CA and be made out for the host of its raft
    // address (checked by the dialler as a TLS client does, and by the listener against the
    // address it knows for the node the Hello names). An error says which file is wrong.
    Status enableTls(const net::TlsFiles &files);
    // Reads the TLS files again (SIGHUP); nothing when TLS is off. Open links keep theirs.
    void reloadTls(const QString &why);
    quint16 listenPort() const;
    const PeerIdentity &identity() const { return m_self; }

    // Who may link to us beyond the identity checks of the handshake (the Raft controller admits
    // members, and a joiner that presents the cluster's join token). A refusal is answered and
    // logged like any handshake refusal. Unset: everyone who passes the identity checks.
    using Admission = std::function<Status(const Hello &hello)>;
    void setAdmission(Admission admission) { m_admission = std::move(admission); }

    // Limits for connections made from now on.
    void setMaxOutboundBufferBytes(qint64 bytes) { m_maxOutboundBufferBytes = bytes; }

    // Adds or updates the outbound link to `id` at `address` ("host:port"). Dials at once, then
    // after any failure again with capped exponential backoff (100 ms doubling to 2 s, jittered).
    // A changed address drops the current link and dials the new one.
    void setPeer(uint64_t id, const QString &address);
    void removePeer(uint64_t id);

    // Queues `frame` for `to` on its outbound link if that is up (handshake done), else on an
    // inbound link from `to` if one is up. Returns false and drops the frame if neither is, if
    // the link's outbound buffer is full, or if the frame is a handshake frame or has no body.
    bool send(uint64_t to, const PeerFrame &frame);

    // Outbound links (one per setPeer id) then inbound ones (per node that dialled us).
    QList<PeerLinkStatus> linkStatus() const;

signals:
    // Every non-handshake frame, from an outbound or inbound link; `from` is the peer's node id.
    void frameReceived(uint64_t from, const skiff::cluster::PeerFrame &frame);
    // The outbound link to `peer` completed its handshake / stopped being up.
    void linkUp(uint64_t peer);
    void linkDown(uint64_t peer, QString reason);
    // A handshake with `peer` was refused (by either side): one line naming both values.
    // Emitted when the reason first appears, not on every retry.
    void linkRefused(uint64_t peer, QString reason);

private:
    struct OutboundLink;
    struct InboundLink;

    void dial(OutboundLink &link);
    void scheduleRedial(OutboundLink &link);
    void onOutboundConnected(uint64_t id, PeerConnection *connection);
    void onOutboundFrame(uint64_t id, PeerConnection *connection, const PeerFrame &frame, qint64 wireBytes);
    void onOutboundClosed(uint64_t id, PeerConnection *connection, const QString &reason);
    void refuseOutbound(OutboundLink &link, const QString &line);
    bool dropOutbound(OutboundLink &link, const QString &reason);   // true if it was up

    void onNewConnection();
    void onInboundFrame(PeerConnection *connection, const PeerFrame &frame, qint64 wireBytes);
    void onInboundClosed(PeerConnection *connection, const QString &reason);
    void acceptHello(PeerConnection *connection, const Hello &hello, qint64 wireBytes);
    Status checkPeerCertificate(PeerConnection *connection, const Hello &hello) const;
    InboundLink &inboundRow(uint64_t id);

    PeerConnection *makeConnection(QTcpSocket *socket);
    void retire(PeerConnection *connection);

    PeerIdentity m_self;
    Admission m_admission;
    net::ServerTls *m_tls = nullptr;   // raft.ssl.enable
    net::TcpListener *m_server = nullptr;
    qint64 m_maxOutboundBufferBytes = kDefaultMaxOutboundBufferBytes;
    std::map<uint64_t, std::unique_ptr<OutboundLink>> m_outbound;
    std::map<uint64_t, std::unique_ptr<InboundLink>> m_inbound;   // by the node id its Hello gave
    // Every inbound connection we hold -> the node it handshook as (0 while awaiting its Hello).
    QHash<PeerConnection *, uint64_t> m_inboundConnections;
    // Inbound refusal lines already logged, per claimed node id, so a dialler retrying every 2 s
    // is logged once per distinct reason; forgotten when that node's handshake succeeds.
    QHash<uint64_t, QSet<QString>> m_loggedInboundRefusals;
    // Connections closed before their Hello named a node (a port scan, a plaintext or broken TLS
    // client): anyone can open them at any rate, so their lines are rate-limited per remote host.
    core::RateLimitedLog *m_anonymousRefusals;
};

} // namespace skiff::cluster
