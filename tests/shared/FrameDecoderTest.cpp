// The one length-prefixed frame decoder, which the peer links and the admin socket (node,
// skiffctl, dashboard) parse their frames from: bodies come out whole whatever the chunking, a
// length over the limit is refused on its 4 bytes alone, a zero length is an empty body, and an
// error is sticky.
#include "net/FrameDecoder.h"

#include <QTest>
#include <QtEndian>

#include <string>
#include <vector>

using namespace skiff;
using namespace skiff::net;

namespace {

QByteArray frame(const std::string &body)
{
    return encodeFrame(body.size(), [&](char *out) { body.copy(out, body.size()); });
}

QByteArray header(uint32_t length)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian(length, out.data());
    return out;
}

FrameDecoder decoder(uint32_t maxFrameBytes = 1024)
{
    return FrameDecoder("test frame", maxFrameBytes, "not a test peer");
}

// Every body available now; fails the test on an error.
std::vector<std::string> drain(FrameDecoder &d)
{
    std::vector<std::string> bodies;
    for (;;) {
        auto next = d.next();
        if (!next.isOk()) {
            qWarning("unexpected error: %s", next.status().toString().c_str());
            return {"<error>"};
        }
        if (!next.value())
            return bodies;
        bodies.emplace_back(*next.value());
    }
}

} // namespace

class FrameDecoderTest : public QObject {
    Q_OBJECT
private slots:
    void theHeaderIsTheBigEndianLength()
    {
        QCOMPARE(frame("abc"), QByteArray("\0\0\0\3abc", 7));
        QCOMPARE(frame(""), QByteArray("\0\0\0\0", 4));
    }

    void partialFramesWaitForTheirBytes()
    {
        const QByteArray wire = frame("hello, peer") + frame(std::string(300, 'x'));
        for (int chunk : {1, 2, 3, 4, 5, 7, 64, 1000}) {
            FrameDecoder d = decoder();
            std::vector<std::string> bodies;
            for (qsizetype at = 0; at < wire.size(); at += chunk) {
                d.feed(wire.mid(at, chunk));
                for (auto &b : drain(d))
                    bodies.push_back(std::move(b));
            }
            QCOMPARE(bodies, (std::vector<std::string>{"hello, peer", std::string(300, 'x')}));
            QCOMPARE(d.bufferedBytes(), qsizetype(0));
        }
        // A header alone, then half a body: nothing yet, and nothing lost.
        FrameDecoder d = decoder();
        d.feed(header(6));
        QVERIFY(drain(d).empty());
        d.feed("abc");
        QVERIFY(drain(d).empty());
        QCOMPARE(d.bufferedBytes(), qsizetype(7));
        d.feed("def");
        QCOMPARE(drain(d), std::vector<std::string>{"abcdef"});
    }

    void severalFramesInOneRead()
    {
        FrameDecoder d = decoder();
        d.feed(frame("one") + frame("") + frame("three") + frame("four").left(5));
        QCOMPARE(drain(d), (std::vector<std::string>{"one", "", "three"}));
        QCOMPARE(d.bufferedBytes(), qsizetype(5));
        d.feed(frame("four").mid(5));
        QCOMPARE(drain(d), std::vector<std::string>{"four"});
    }

    void aZeroLengthIsAnEmptyBody()
    {
        FrameDecoder d = decoder();
        d.feed(header(0));
        auto next = d.next();
        QVERIFY(next.isOk());
        QVERIFY(next.value().has_value());
        QVERIFY(next.value()->empty());
        QCOMPARE(d.bufferedBytes(), qsizetype(0));
        QVERIFY(d.next().isOk() && !d.next().value());
    }

    void anOversizedLengthIsRefusedOnItsHeaderAlone()
    {
        for (uint32_t length : {1025u, 0x80000000u, 0xffffffffu}) {
            FrameDecoder d = decoder(1024);
            d.feed(header(length));   // no body follows: nothing is waited for or allocated
            auto next = d.next();
            QVERIFY(!next.isOk());
            QCOMPARE(next.status().code(), StatusCode::Corruption);
            const std::string expected = "test frame of " + std::to_string(length) +
                                         " bytes exceeds the limit of 1024 bytes (not a test peer)";
            QCOMPARE(next.status().message(), expected);
            QCOMPARE(d.bufferedBytes(), qsizetype(0));
            d.feed(frame("fine"));   // sticky: the stream lost its framing
            QVERIFY(!d.next().isOk());
            QCOMPARE(d.bufferedBytes(), qsizetype(0));
        }
        // Exactly the limit is fine.
        FrameDecoder d = decoder(4);
        d.feed(frame("four"));
        QCOMPARE(drain(d), std::vector<std::string>{"four"});
    }

    void aBodyTheCallerRefusesEndsTheStream()
    {
        FrameDecoder d = decoder();
        d.feed(frame("garbage") + frame("good"));
        auto next = d.next();
        QVERIFY(next.isOk() && next.value());
        const Status refused = d.fail("test frame of 7 bytes is not a valid Message");
        QCOMPARE(refused.code(), StatusCode::Corruption);
        QCOMPARE(d.bufferedBytes(), qsizetype(0));
        auto after = d.next();
        QVERIFY(!after.isOk());
        QCOMPARE(after.status().message(), refused.message());
    }
};

QTEST_GUILESS_MAIN(FrameDecoderTest)
#include "FrameDecoderTest.moc"
