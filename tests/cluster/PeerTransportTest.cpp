// Peer transport over loopback: both directions, handshake refusals named precisely on both
// sides, reconnect with backoff, dropping on down links, and malformed input closing only the
// link it arrived on. Every port comes from binding port 0.
#include "cluster/peer/PeerFraming.h"
#include "cluster/peer/PeerHandshake.h"
#include "cluster/peer/PeerTransport.h"
#include "core/RateLimitedLog.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

#include <memory>
#include <optional>
#include <utility>

using namespace skiff;
using namespace skiff::cluster;

namespace {

constexpr int kTimeoutMs = 3000;

std::unique_ptr<PeerTransport> startNode(uint64_t id, const std::string &clusterId = "c1", quint16 port = 0)
{
    auto transport = std::make_unique<PeerTransport>(PeerIdentity{clusterId, id, "", "0.1.0 (test)"});
    const Status status = transport->listen(QStringLiteral("127.0.0.1"), port);
    if (!status.isOk()) {
        qWarning() << status.toString().c_str();
        return nullptr;
    }
    return transport;
}

QString addressOf(const PeerTransport &transport)
{
    return QStringLiteral("127.0.0.1:%1").arg(transport.listenPort());
}

std::optional<PeerLinkStatus> rowOf(const PeerTransport &transport, uint64_t peer, PeerLinkDirection direction)
{
    for (const PeerLinkStatus &row : transport.linkStatus())
        if (row.peerId == peer && row.direction == direction)
            return row;
    return std::nullopt;
}

bool rowIn(const PeerTransport &transport, uint64_t peer, PeerLinkDirection direction, PeerLinkState state)
{
    const auto row = rowOf(transport, peer, direction);
    return row && row->state == state;
}

PeerFrame raftFrame(uint64_t from, uint64_t to, uint64_t term)
{
    PeerFrame frame;
    raft::Message *m = frame.mutable_raft();
    m->set_type(raft::MSG_VOTE);
    m->set_from(from);
    m->set_to(to);
    m->set_term(term);
    return frame;
}

// Frames a transport delivered, in order.
struct Inbox {
    explicit Inbox(PeerTransport &transport)
    {
        QObject::connect(&transport, &PeerTransport::frameReceived, &transport,
                         [this](uint64_t from, const PeerFrame &frame) { frames.append({from, frame}); });
    }
    QList<std::pair<uint64_t, PeerFrame>> frames;
};

// A port nobody listens on right now: bind 0, read it, close.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// Counts the skiff.peer warnings that contain a text, while passing everything on.
class WarningCounter {
public:
    WarningCounter() { s_previous = qInstallMessageHandler(&WarningCounter::handle); s_lines.clear(); }
    ~WarningCounter() { qInstallMessageHandler(s_previous); }
    int count(const QString &text) const
    {
        int n = 0;
        for (const QString &line : s_lines)
            n += line.contains(text) ? 1 : 0;
        return n;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (type == QtWarningMsg && context.category && qstrcmp(context.category, "skiff.peer") == 0)
            s_lines.append(message);
        s_previous(type, context, message);
    }
    static inline QtMessageHandler s_previous = nullptr;
    static inline QStringList s_lines;
};

QByteArray header(uint32_t length)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian(length, out.data());
    return out;
}

} // namespace

class PeerTransportTest : public QObject {
    Q_OBJECT
private slots:
    // ---- the handshake checks alone -----------------------------------------------------------

    void handshakeLinesNameBothValues()
    {
        const PeerIdentity listener{"c1", 1, "127.0.0.1:9193", "0.1.0"};
        const PeerIdentity dialler{"c1", 3, "127.0.0.1:9293", "0.1.0"};
        Hello hello = makePeerHello(dialler, 2);
        QCOMPARE(QString::fromStdString(checkPeerHello(listener, hello, "127.0.0.1:5555").message()),
                 QStringLiteral("node 3 at 127.0.0.1:9293 dialled expecting node 2, but this is node 1: "
                                "check its peers config"));
        const HelloReply reply = makePeerHelloReply(listener, checkPeerHello(listener, hello, ""));
        QVERIFY(!reply.accepted());
        QCOMPARE(QString::fromStdString(checkPeerHelloReply(dialler, 2, "127.0.0.1:9193", reply).message()),
                 QStringLiteral("127.0.0.1:9193 answered as node 1, config says node 2 lives there"));

        // to_node 0 (a --join that knows only the address) is accepted; so is the right id.
        QVERIFY(checkPeerHello(listener, makePeerHello(dialler, 0), "").isOk());
        QVERIFY(checkPeerHello(listener, makePeerHello(dialler, 1), "").isOk());
        QVERIFY(checkPeerHelloReply(dialler, 1, "x:1", makePeerHelloReply(listener, Status::ok())).isOk());

        const PeerIdentity otherCluster{"c2", 3, "127.0.0.1:9293", "0.1.0"};
        const std::string clusterLine = checkPeerHello(listener, makePeerHello(otherCluster, 1), "").message();
        QVERIFY2(clusterLine.find("'c2'") != std::string::npos && clusterLine.find("'c1'") != std::string::npos,
                 clusterLine.c_str());

        Hello future = makePeerHello(dialler, 1);
        future.set_protocol_version(kPeerProtocolVersion + 1);
        const std::string versionLine = checkPeerHello(listener, future, "").message();
        QVERIFY2(versionLine.find("protocol " + std::to_string(kPeerProtocolVersion + 1)) != std::string::npos &&
                     versionLine.find("protocol " + std::to_string(kPeerProtocolVersion)) != std::string::npos,
                 versionLine.c_str());

        QVERIFY(!checkPeerHello(listener, makePeerHello(PeerIdentity{"c1", 1, "", ""}, 1), "").isOk());   // own id
        QVERIFY(!checkPeerHello(listener, makePeerHello(PeerIdentity{"c1", 0, "", ""}, 1), "").isOk());   // no id
    }

    // ---- over loopback ------------------------------------------------------------------------

    void exchangeRaftMessagesBothWays()
    {
        auto a = startNode(1);
        auto b = startNode(2);
        QVERIFY(a && b);
        QSignalSpy upA(a.get(), &PeerTransport::linkUp);
        QSignalSpy upB(b.get(), &PeerTransport::linkUp);
        Inbox inboxA(*a), inboxB(*b);
        a->setPeer(2, addressOf(*b));
        b->setPeer(1, addressOf(*a));
        QTRY_COMPARE_WITH_TIMEOUT(upA.count(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(upB.count(), 1, kTimeoutMs);
        QCOMPARE(upA.at(0).at(0).value<uint64_t>(), uint64_t(2));

        QVERIFY(a->send(2, raftFrame(1, 2, 5)));
        QVERIFY(a->send(2, raftFrame(1, 2, 6)));
        QVERIFY(b->send(1, raftFrame(2, 1, 7)));
        QTRY_COMPARE_WITH_TIMEOUT(inboxB.frames.size(), 2, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(inboxA.frames.size(), 1, kTimeoutMs);
        QCOMPARE(inboxB.frames[0].first, uint64_t(1));
        QCOMPARE(inboxB.frames[0].second.raft().term(), uint64_t(5));
        QCOMPARE(inboxB.frames[1].second.raft().term(), uint64_t(6));
        QCOMPARE(inboxA.frames[0].first, uint64_t(2));
        QCOMPARE(inboxA.frames[0].second.raft().type(), raft::MSG_VOTE);
        QCOMPARE(inboxA.frames[0].second.raft().term(), uint64_t(7));

        const auto out = rowOf(*a, 2, PeerLinkDirection::Outbound);
        QVERIFY(out);
        QCOMPARE(out->state, PeerLinkState::Up);
        QCOMPARE(out->address, addressOf(*b));
        QCOMPARE(out->connects, uint64_t(1));
        QCOMPARE(out->framesSent, uint64_t(3));   // Hello + 2
        QVERIFY(out->bytesSent > 0);
        const auto in = rowOf(*b, 1, PeerLinkDirection::Inbound);
        QVERIFY(in);
        QCOMPARE(in->state, PeerLinkState::Up);
        QCOMPARE(in->address, addressOf(*a));
        QCOMPARE(in->framesReceived, uint64_t(3));

        // Handshake frames and empty frames are not the caller's to send.
        PeerFrame hello;
        *hello.mutable_hello() = makePeerHello(a->identity(), 2);
        QVERIFY(!a->send(2, hello));
        QVERIFY(!a->send(2, PeerFrame()));

        // Removing a peer takes its link down at once.
        QSignalSpy downA(a.get(), &PeerTransport::linkDown);
        a->removePeer(2);
        QCOMPARE(downA.count(), 1);
        QVERIFY(!rowOf(*a, 2, PeerLinkDirection::Outbound));
        QVERIFY(!a->send(2, raftFrame(1, 2, 8)) || rowOf(*a, 2, PeerLinkDirection::Inbound));
    }

    void sendFallsBackToInboundLink()
    {
        // Node 3 dials node 2; node 2 has no peer entry for 3 (a joiner), yet can answer it.
        auto b = startNode(2);
        auto c = startNode(3);
        QVERIFY(b && c);
        QSignalSpy upC(c.get(), &PeerTransport::linkUp);
        Inbox inboxB(*b), inboxC(*c);
        QVERIFY(!b->send(3, raftFrame(2, 3, 1)));   // nothing yet
        c->setPeer(2, addressOf(*b));
        QTRY_COMPARE_WITH_TIMEOUT(upC.count(), 1, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(rowIn(*b, 3, PeerLinkDirection::Inbound, PeerLinkState::Up), kTimeoutMs);
        QVERIFY(c->send(2, raftFrame(3, 2, 1)));
        QVERIFY(b->send(3, raftFrame(2, 3, 2)));
        QTRY_COMPARE_WITH_TIMEOUT(inboxB.frames.size(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(inboxC.frames.size(), 1, kTimeoutMs);
        QCOMPARE(inboxC.frames[0].first, uint64_t(2));
        QCOMPARE(inboxC.frames[0].second.raft().term(), uint64_t(2));
    }

    void wrongNodeIdRefusedOnBothSides()
    {
        WarningCounter warnings;
        auto b = startNode(1);   // node 1 lives here...
        auto a = startNode(3);
        QVERIFY(a && b);
        const QString addressB = addressOf(*b);
        const quint16 portB = b->listenPort();
        QSignalSpy refusedA(a.get(), &PeerTransport::linkRefused);
        QSignalSpy refusedB(b.get(), &PeerTransport::linkRefused);
        QSignalSpy upA(a.get(), &PeerTransport::linkUp);
        a->setPeer(2, addressB);   // ...but node 3's config says node 2 does

        const QString diallerLine = QStringLiteral("%1 answered as node 1, config says node 2 lives there").arg(addressB);
        const QString listenerLine =
            QStringLiteral("node 3 at %1 dialled expecting node 2, but this is node 1: check its peers config")
                .arg(addressOf(*a));
        QTRY_COMPARE_WITH_TIMEOUT(refusedA.count(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(refusedB.count(), 1, kTimeoutMs);
        QCOMPARE(refusedA.at(0).at(0).value<uint64_t>(), uint64_t(2));
        QCOMPARE(refusedA.at(0).at(1).toString(), diallerLine);
        QCOMPARE(refusedB.at(0).at(0).value<uint64_t>(), uint64_t(3));
        QCOMPARE(refusedB.at(0).at(1).toString(), listenerLine);

        auto row = rowOf(*a, 2, PeerLinkDirection::Outbound);
        QVERIFY(row);
        QCOMPARE(row->state, PeerLinkState::Refused);
        QCOMPARE(row->lastError, diallerLine);
        auto inRow = rowOf(*b, 3, PeerLinkDirection::Inbound);
        QVERIFY(inRow);
        QCOMPARE(inRow->state, PeerLinkState::Refused);
        QCOMPARE(inRow->lastError, listenerLine);
        QVERIFY(!a->send(2, raftFrame(3, 2, 1)));

        // It keeps retrying (the operator may fix the other side), stays Refused, and neither
        // side logs or signals the same refusal again.
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(*a, 2, PeerLinkDirection::Outbound)->connects >= 3, kTimeoutMs);
        row = rowOf(*a, 2, PeerLinkDirection::Outbound);
        QCOMPARE(row->state, PeerLinkState::Refused);
        QCOMPARE(row->lastError, diallerLine);
        QCOMPARE(refusedA.count(), 1);
        QCOMPARE(refusedB.count(), 1);
        QCOMPARE(warnings.count(diallerLine), 1);
        QCOMPARE(warnings.count(listenerLine), 1);
        QCOMPARE(upA.count(), 0);

        // The operator puts node 2 where the config says: the next retry gets through.
        b.reset();
        auto fixed = startNode(2, "c1", portB);
        QVERIFY(fixed);
        QTRY_COMPARE_WITH_TIMEOUT(upA.count(), 1, kTimeoutMs);
        QCOMPARE(rowOf(*a, 2, PeerLinkDirection::Outbound)->state, PeerLinkState::Up);
        QVERIFY(a->send(2, raftFrame(3, 2, 1)));
    }

    void wrongClusterIdRefused()
    {
        auto a = startNode(1, "c1");
        auto b = startNode(2, "c2");
        QVERIFY(a && b);
        QSignalSpy refusedA(a.get(), &PeerTransport::linkRefused);
        QSignalSpy refusedB(b.get(), &PeerTransport::linkRefused);
        a->setPeer(2, addressOf(*b));
        QTRY_COMPARE_WITH_TIMEOUT(refusedA.count(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(refusedB.count(), 1, kTimeoutMs);
        QCOMPARE(refusedA.at(0).at(1).toString(),
                 QStringLiteral("%1 (node 2) is in cluster 'c2', but this node is in cluster 'c1': check cluster.id")
                     .arg(addressOf(*b)));
        QCOMPARE(refusedB.at(0).at(1).toString(),
                 QStringLiteral("node 1 at %1 is in cluster 'c1', but this is node 2 of cluster 'c2': check cluster.id")
                     .arg(addressOf(*a)));
        QCOMPARE(rowOf(*a, 2, PeerLinkDirection::Outbound)->state, PeerLinkState::Refused);
    }

    void peerThatStartsLaterGetsConnected()
    {
        const quint16 port = freePort();
        QVERIFY(port != 0);
        auto a = startNode(1);
        QVERIFY(a);
        QSignalSpy upA(a.get(), &PeerTransport::linkUp);
        a->setPeer(2, QStringLiteral("127.0.0.1:%1").arg(port));
        // Nobody there: attempts fail, the row says why, sends are dropped.
        QTRY_VERIFY_WITH_TIMEOUT(rowIn(*a, 2, PeerLinkDirection::Outbound, PeerLinkState::Down) &&
                                     !rowOf(*a, 2, PeerLinkDirection::Outbound)->lastError.isEmpty(),
                                 kTimeoutMs);
        QVERIFY(!a->send(2, raftFrame(1, 2, 1)));
        QCOMPARE(rowOf(*a, 2, PeerLinkDirection::Outbound)->framesDropped, uint64_t(1));
        QTest::qWait(400);   // a few backoff rounds
        QCOMPARE(upA.count(), 0);

        auto b = startNode(2, "c1", port);
        QVERIFY(b);
        Inbox inboxB(*b);
        QTRY_COMPARE_WITH_TIMEOUT(upA.count(), 1, kTimeoutMs);   // the backoff is capped at 2 s
        QVERIFY(a->send(2, raftFrame(1, 2, 2)));
        QTRY_COMPARE_WITH_TIMEOUT(inboxB.frames.size(), 1, kTimeoutMs);
    }

    void sendToDownLinkReturnsFalse()
    {
        auto a = startNode(1);
        auto b = startNode(2);
        QVERIFY(a && b);
        QVERIFY(!a->send(42, raftFrame(1, 42, 1)));   // unknown peer
        QSignalSpy upA(a.get(), &PeerTransport::linkUp);
        QSignalSpy downA(a.get(), &PeerTransport::linkDown);
        a->setPeer(2, addressOf(*b));
        QTRY_COMPARE_WITH_TIMEOUT(upA.count(), 1, kTimeoutMs);
        QVERIFY(a->send(2, raftFrame(1, 2, 1)));

        b.reset();   // the peer goes away
        QTRY_COMPARE_WITH_TIMEOUT(downA.count(), 1, kTimeoutMs);
        QCOMPARE(downA.at(0).at(0).value<uint64_t>(), uint64_t(2));
        QVERIFY(!a->send(2, raftFrame(1, 2, 2)));
        const auto row = rowOf(*a, 2, PeerLinkDirection::Outbound);
        QVERIFY(row->state != PeerLinkState::Up);
        QVERIFY(!row->lastError.isEmpty());
        QCOMPARE(row->framesDropped, uint64_t(1));
    }

    void outboundBufferIsCapped()
    {
        auto a = startNode(1);
        auto b = startNode(2);
        QVERIFY(a && b);
        a->setMaxOutboundBufferBytes(4096);
        QSignalSpy upA(a.get(), &PeerTransport::linkUp);
        a->setPeer(2, addressOf(*b));
        QTRY_COMPARE_WITH_TIMEOUT(upA.count(), 1, kTimeoutMs);
        // Without returning to the event loop nothing is flushed: the buffer fills, then drops.
        PeerFrame big = raftFrame(1, 2, 1);
        big.mutable_raft()->set_context(std::string(1000, 'x'));
        int accepted = 0;
        for (int i = 0; i < 10; ++i)
            accepted += a->send(2, big) ? 1 : 0;
        QVERIFY2(accepted >= 1 && accepted <= 4, qPrintable(QString::number(accepted)));
        QCOMPARE(rowOf(*a, 2, PeerLinkDirection::Outbound)->framesDropped, uint64_t(10 - accepted));
    }

    void garbageClosesOnlyThatLink()
    {
        WarningCounter warnings;
        auto a = startNode(1);
        auto b = startNode(2);
        QVERIFY(a && b);
        QSignalSpy upA(a.get(), &PeerTransport::linkUp);
        QSignalSpy downA(a.get(), &PeerTransport::linkDown);
        Inbox inboxB(*b);
        a->setPeer(2, addressOf(*b));
        QTRY_COMPARE_WITH_TIMEOUT(upA.count(), 1, kTimeoutMs);

        QRandomGenerator random(42);   // fixed seed: the same bytes every run
        QByteArray noise(64, Qt::Uninitialized);
        random.fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
        const QList<QByteArray> garbage{
            QByteArrayLiteral("GET / HTTP/1.1\r\nHost: skiff\r\n\r\n"),   // "GET " = a 1.2 GB length
            header(uint32_t(noise.size())) + noise,                       // random bytes, framed
            header(100u << 20),                                           // 100 MiB > the 64 MiB limit
            encodePeerFrame(raftFrame(9, 2, 1)),                          // a real frame before any Hello
        };
        const uint64_t heldBefore = core::suppressedLogLines(core::LogFlood::PeerLinkRefused);
        std::vector<std::unique_ptr<QTcpSocket>> raws;
        for (const QByteArray &bytes : garbage) {
            auto raw = std::make_unique<QTcpSocket>();
            raw->connectToHost(QHostAddress::LocalHost, b->listenPort());
            QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::ConnectedState, kTimeoutMs);
            raw->write(bytes);
            raws.push_back(std::move(raw));
        }
        // Meanwhile the real link keeps working.
        QVERIFY(a->send(2, raftFrame(1, 2, 3)));
        for (auto &raw : raws)
            QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::UnconnectedState, kTimeoutMs);
        QVERIFY(a->send(2, raftFrame(1, 2, 4)));
        QTRY_COMPARE_WITH_TIMEOUT(inboxB.frames.size(), 2, kTimeoutMs);
        QCOMPARE(inboxB.frames[1].second.raft().term(), uint64_t(4));
        QCOMPARE(downA.count(), 0);
        QCOMPARE(rowOf(*a, 2, PeerLinkDirection::Outbound)->state, PeerLinkState::Up);
        // Anyone can open such connections at any rate: from one host, the first refusal is a
        // line and the others are held back (and counted) until the interval is over.
        QCOMPARE(warnings.count(QStringLiteral("closed inbound peer link from 127.0.0.1")), 1);
        QCOMPARE(core::suppressedLogLines(core::LogFlood::PeerLinkRefused) - heldBefore, uint64_t(garbage.size() - 1));
        // None of the raw sockets became a node: only node 1's row exists on b.
        for (const PeerLinkStatus &row : b->linkStatus())
            QCOMPARE(row.peerId, uint64_t(1));
    }

    void garbageFromDialledPeerClosesLink()
    {
        // A "peer" that answers the Hello with junk: the dialler closes, says why, and retries.
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> accepted;
        connect(&fake, &QTcpServer::newConnection, this, [&]() {
            while (QTcpSocket *s = fake.nextPendingConnection()) {
                accepted.append(s);
                s->write(header(8) + QByteArray(8, char(0xFF)));
            }
        });
        auto a = startNode(1);
        QVERIFY(a);
        QSignalSpy upA(a.get(), &PeerTransport::linkUp);
        a->setPeer(2, QStringLiteral("127.0.0.1:%1").arg(fake.serverPort()));
        QTRY_VERIFY_WITH_TIMEOUT(accepted.size() >= 2, kTimeoutMs);   // closed, then redialled
        const auto row = rowOf(*a, 2, PeerLinkDirection::Outbound);
        QVERIFY(row->state != PeerLinkState::Up);
        QVERIFY2(row->lastError.contains(QStringLiteral("not a valid PeerFrame")), qPrintable(row->lastError));
        QCOMPARE(upA.count(), 0);
    }
};

QTEST_GUILESS_MAIN(PeerTransportTest)
#include "PeerTransportTest.moc"
