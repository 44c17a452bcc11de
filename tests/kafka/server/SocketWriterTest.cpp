// SocketWriter over a real loopback connection: frames (spliced records included) arrive whole
// and in order whether the kernel takes them at once or the client reads slowly; while the
// client does not read, Qt holds at most kHandOffBytes (the rest waits, uncopied, in the
// writer); a socket written only through Qt (TLS) gets the same bytes; a client that goes away
// mid-response closes the socket, nothing more.
#include "kafka/server/SocketWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using skiff::kafka::OutgoingFrame;
using skiff::kafka::SocketWriter;
using skiff::kafka::SplicedBytes;

namespace {

constexpr size_t MiB = 1 << 20;

// A frame of `head` with `records` spliced in after its first `at` bytes.
OutgoingFrame splicedFrame(const std::string &head, size_t at, std::string records)
{
    OutgoingFrame f{head};
    f.splices.push_back(SplicedBytes{at, std::move(records)});
    return f;
}

std::string pattern(size_t n, int seed)
{
    std::string s(n, '\0');
    for (size_t i = 0; i < n; ++i)
        s[i] = char((i * 131 + size_t(seed) * 7) & 0xff);
    return s;
}

struct Pair {
    QTcpServer server;
    QTcpSocket client;
    QTcpSocket *accepted = nullptr;
    std::unique_ptr<SocketWriter> writer;
    size_t qtBufferPeak = 0;

    bool open(bool direct)
    {
        if (!server.listen(QHostAddress::LocalHost, 0))
            return false;
        // A client that reads only when told (Qt would otherwise read everything into memory).
        client.setReadBufferSize(64 * 1024);
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (!client.waitForConnected(5000) || !server.waitForNewConnection(5000))
            return false;
        accepted = server.nextPendingConnection();
        writer = std::make_unique<SocketWriter>(accepted, direct);
        // As KafkaConnection does: once Qt's buffer is out, the writer sends the rest.
        QObject::connect(accepted, &QTcpSocket::bytesWritten, accepted, [this]() {
            qtBufferPeak = std::max(qtBufferPeak, size_t(accepted->bytesToWrite()));
            writer->flush();
            qtBufferPeak = std::max(qtBufferPeak, size_t(accepted->bytesToWrite()));
        });
        return true;
    }

    void write(OutgoingFrame f)
    {
        writer->write(std::move(f));
        qtBufferPeak = std::max(qtBufferPeak, size_t(accepted->bytesToWrite()));
    }

    // Reads until `n` bytes came or 30 s passed.
    std::string readAll(size_t n)
    {
        std::string got;
        QElapsedTimer t;
        t.start();
        while (got.size() < n && t.elapsed() < 30000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);   // both sides go on
            const QByteArray b = client.readAll();
            got.append(b.constData(), size_t(b.size()));
        }
        return got;
    }
};

} // namespace

class SocketWriterTest : public QObject {
    Q_OBJECT

private slots:
    void framesArriveWholeAndInOrderWithoutQtHoldingThem()
    {
        Pair p;
        QVERIFY(p.open(true));
        const std::string big = pattern(24 * MiB, 1);   // far more than the socket buffers hold
        std::string expected = "first frame";
        p.write(OutgoingFrame{std::string("first frame")});
        p.write(splicedFrame("HEAD-before|after", 12, big));
        expected += "HEAD-before|" + big + "after";
        p.write(OutgoingFrame{std::string("last")});
        expected += "last";
        // The client has read nothing: the kernel holds what it takes, Qt one hand-off, the
        // writer the rest.
        QTest::qWait(200);
        QVERIFY(!p.writer->idle());
        QVERIFY2(p.qtBufferPeak <= SocketWriter::kHandOffBytes, std::to_string(p.qtBufferPeak).c_str());
        QVERIFY(p.writer->unsentBytes() > 8 * MiB);
        const std::string got = p.readAll(expected.size());
        QCOMPARE(got.size(), expected.size());
        QVERIFY(got == expected);
        QTRY_VERIFY(p.writer->idle());
        QCOMPARE(p.writer->unsentBytes(), size_t(0));
        QVERIFY2(p.qtBufferPeak <= SocketWriter::kHandOffBytes, std::to_string(p.qtBufferPeak).c_str());
    }

    void manySmallSplicesInOneSendStayInOrder()
    {
        Pair p;
        QVERIFY(p.open(true));
        // More pieces than one sendmsg carries (each splice is a piece, and so is each gap).
        OutgoingFrame f{pattern(300, 3)};
        std::string expected;
        size_t from = 0;
        for (int i = 0; i < 100; ++i) {
            f.splices.push_back(SplicedBytes{size_t(i * 3), pattern(1000 + size_t(i), i)});
            expected += f.head.substr(from, size_t(i * 3) - from) + f.splices.back().bytes;
            from = size_t(i * 3);
        }
        expected += f.head.substr(from);
        QCOMPARE(f.flattened(), expected);
        p.write(std::move(f));
        QVERIFY(p.readAll(expected.size()) == expected);
        QTRY_VERIFY(p.writer->idle());
    }

    void throughQtOnlyTheBytesAreTheSame()
    {
        Pair p;
        QVERIFY(p.open(false));   // as for a TLS socket
        const std::string big = pattern(3 * MiB, 2);
        p.write(splicedFrame("ab", 1, big));
        QVERIFY(p.writer->idle());   // all of it handed to Qt at once
        QVERIFY(p.readAll(big.size() + 2) == "a" + big + "b");
    }

    void aClientGoneMidResponseClosesTheSocket()
    {
        Pair p;
        QVERIFY(p.open(true));
        p.write(splicedFrame("h", 1, pattern(32 * MiB, 4)));
        QTest::qWait(100);
        QVERIFY(!p.writer->idle());
        p.client.abort();
        // Qt finds the reset when it writes its hand-off; the writer then gives it the rest,
        // which a closed socket drops.
        QTRY_COMPARE_WITH_TIMEOUT(p.accepted->state(), QAbstractSocket::UnconnectedState, 10000);
    }
};

QTEST_GUILESS_MAIN(SocketWriterTest)
#include "SocketWriterTest.moc"
