// Peer framing: round trips, arbitrary chunking, the size limit checked before any allocation,
// and garbage (unparsable bytes, frames without a body) refused as an error value.
#include "cluster/peer/PeerFraming.h"

#include <QTest>
#include <QtEndian>

using namespace skiff;
using namespace skiff::cluster;

namespace {

PeerFrame raftFrame(uint64_t term, int entries)
{
    PeerFrame frame;
    raft::Message *m = frame.mutable_raft();
    m->set_type(raft::MSG_APP);
    m->set_from(1);
    m->set_to(2);
    m->set_term(term);
    m->set_index(41);
    for (int i = 0; i < entries; ++i) {
        raft::Entry *e = m->add_entries();
        e->set_index(uint64_t(42 + i));
        e->set_term(term);
        e->set_type(raft::ENTRY_NORMAL);
        e->set_data(std::string(size_t(100 + i), char('a' + i % 26)));
    }
    return frame;
}

PeerFrame helloFrame()
{
    PeerFrame frame;
    Hello *h = frame.mutable_hello();
    h->set_protocol_version(1);
    h->set_cluster_id("c1");
    h->set_from_node(3);
    h->set_to_node(1);
    h->set_from_raft_address("127.0.0.1:9293");
    return frame;
}

QByteArray header(uint32_t length)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian(length, out.data());
    return out;
}

// Drains `decoder`; fails the test on an error.
QList<PeerFrame> drain(PeerFrameDecoder &decoder)
{
    QList<PeerFrame> frames;
    for (;;) {
        auto next = decoder.next();
        if (!next.isOk()) {
            qWarning() << "unexpected error:" << next.status().toString().c_str();
            return {};
        }
        if (!next->has_value())
            return frames;
        frames.append(**next);
    }
}

bool same(const PeerFrame &a, const PeerFrame &b)
{
    return a.SerializeAsString() == b.SerializeAsString();
}

} // namespace

class PeerFramingTest : public QObject {
    Q_OBJECT
private slots:
    void roundTrip()
    {
        const PeerFrame raft = raftFrame(7, 3);
        const QByteArray wire = encodePeerFrame(raft);
        QCOMPARE(qFromBigEndian<uint32_t>(wire.constData()), uint32_t(wire.size() - 4));
        PeerFrameDecoder decoder;
        decoder.feed(wire);
        const auto frames = drain(decoder);
        QCOMPARE(frames.size(), 1);
        QVERIFY(frames[0].has_raft());
        QVERIFY(same(frames[0], raft));
        QCOMPARE(decoder.bufferedBytes(), 0);
    }

    void splitChunksByteByByte()
    {
        const QList<PeerFrame> sent{helloFrame(), raftFrame(1, 0), raftFrame(2, 5)};
        QByteArray wire;
        for (const PeerFrame &f : sent)
            wire += encodePeerFrame(f);
        PeerFrameDecoder decoder;
        QList<PeerFrame> got;
        for (qsizetype i = 0; i < wire.size(); ++i) {
            decoder.feed(wire.mid(i, 1));
            got += drain(decoder);
        }
        QCOMPARE(got.size(), sent.size());
        for (qsizetype i = 0; i < sent.size(); ++i)
            QVERIFY(same(got[i], sent[i]));
    }

    void splitChunksAcrossHeaders()
    {
        // Odd chunk sizes so boundaries land inside headers and bodies alike.
        QByteArray wire;
        for (int i = 0; i < 20; ++i)
            wire += encodePeerFrame(raftFrame(uint64_t(i), i % 4));
        for (int chunk : {2, 3, 7, 13, 100}) {
            PeerFrameDecoder decoder;
            QList<PeerFrame> got;
            for (qsizetype at = 0; at < wire.size(); at += chunk) {
                decoder.feed(wire.mid(at, chunk));
                got += drain(decoder);
            }
            QCOMPARE(got.size(), 20);
            for (int i = 0; i < 20; ++i)
                QCOMPARE(got[i].raft().term(), uint64_t(i));
        }
    }

    void mergedChunks()
    {
        QByteArray wire;
        for (int i = 0; i < 5; ++i)
            wire += encodePeerFrame(raftFrame(uint64_t(i), 1));
        // Half a frame more: decoded frames come out, the partial one waits.
        const QByteArray extra = encodePeerFrame(raftFrame(99, 1));
        wire += extra.left(extra.size() / 2);
        PeerFrameDecoder decoder;
        decoder.feed(wire);
        QCOMPARE(drain(decoder).size(), 5);
        QCOMPARE(decoder.bufferedBytes(), extra.size() / 2);
        decoder.feed(extra.mid(extra.size() / 2));
        const auto last = drain(decoder);
        QCOMPARE(last.size(), 1);
        QCOMPARE(last[0].raft().term(), uint64_t(99));
    }

    void oversizeRefusedBeforeAllocation()
    {
        PeerFrameDecoder decoder(1024);
        // Only the 4 header bytes: a 1 GiB body never arrives, and need not for the refusal.
        decoder.feed(header(1u << 30));
        auto next = decoder.next();
        QVERIFY(!next.isOk());
        QCOMPARE(next.status().code(), StatusCode::Corruption);
        QVERIFY2(next.status().message().find("exceeds the limit of 1024 bytes") != std::string::npos,
                 next.status().message().c_str());
        QCOMPARE(decoder.bufferedBytes(), 0);
        // Sticky: the stream has lost its framing.
        decoder.feed(encodePeerFrame(raftFrame(1, 0)));
        QVERIFY(!decoder.next().isOk());
        QCOMPARE(decoder.bufferedBytes(), 0);
    }

    void frameAtTheLimitAccepted()
    {
        const QByteArray wire = encodePeerFrame(raftFrame(3, 2));
        const uint32_t body = uint32_t(wire.size() - 4);
        PeerFrameDecoder exact(body);
        exact.feed(wire);
        QCOMPARE(drain(exact).size(), 1);
        PeerFrameDecoder below(body - 1);
        below.feed(wire.left(4));
        QVERIFY(!below.next().isOk());
    }

    void garbageRefused()
    {
        // Not protobuf at all: 0xFF bytes are an over-long varint tag.
        PeerFrameDecoder decoder;
        decoder.feed(header(16) + QByteArray(16, char(0xFF)));
        auto next = decoder.next();
        QVERIFY(!next.isOk());
        QCOMPARE(next.status().code(), StatusCode::Corruption);
        QVERIFY2(next.status().message().find("not a valid PeerFrame") != std::string::npos,
                 next.status().message().c_str());
    }

    void frameWithoutBodyRefused()
    {
        // An empty frame, and one with only a field PeerFrame does not have (99, varint 1):
        // both parse, neither sets a body.
        const QByteArray unknownField = QByteArray::fromHex("b80601");
        for (const QByteArray &body : {QByteArray(), unknownField}) {
            PeerFrameDecoder decoder;
            decoder.feed(header(uint32_t(body.size())) + body);
            auto next = decoder.next();
            QVERIFY(!next.isOk());
            QVERIFY2(next.status().message().find("has no body set") != std::string::npos,
                     next.status().message().c_str());
        }
    }

    void bodyNames()
    {
        QCOMPARE(peerFrameBodyName(helloFrame()), "hello");
        QCOMPARE(peerFrameBodyName(raftFrame(1, 0)), "raft");
        QCOMPARE(peerFrameBodyName(PeerFrame()), "none");
    }
};

QTEST_GUILESS_MAIN(PeerFramingTest)
#include "PeerFramingTest.moc"
