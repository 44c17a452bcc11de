// When a connection has outstayed: a frame in progress is judged by the request timeout from its
// first byte; a connection with nothing in progress and nothing in flight by the idle limit; one
// waiting for its own answers is never idle. And how often listeners check.
#include "core/ConnectionTimeouts.h"

#include <QTest>

using namespace std::chrono_literals;
using skiff::core::ConnectionActivity;
using skiff::core::ConnectionExpiry;
using skiff::core::ConnectionTimeouts;
using skiff::core::expiryOf;

class ConnectionTimeoutsTest : public QObject {
    Q_OBJECT
private slots:
    void aFrameInProgressHasTheRequestTimeoutFromItsFirstByte()
    {
        const ConnectionTimeouts t{1000ms, 600000ms};
        const auto t0 = std::chrono::steady_clock::time_point(1h);
        ConnectionActivity a{t0, t0 + 900ms, false};   // bytes keep trickling in: no matter
        QCOMPARE(expiryOf(t, a, t0 + 999ms), ConnectionExpiry::None);
        QCOMPARE(expiryOf(t, a, t0 + 1000ms), ConnectionExpiry::RequestTimeout);
        a.awaitingAnswers = true;
        QCOMPARE(expiryOf(t, a, t0 + 1000ms), ConnectionExpiry::RequestTimeout);
    }

    void idleMeansNothingInProgressNothingInFlightForTheLimit()
    {
        const ConnectionTimeouts t{30000ms, 1000ms};
        const auto t0 = std::chrono::steady_clock::time_point(1h);
        ConnectionActivity a{std::nullopt, t0, false};
        QCOMPARE(expiryOf(t, a, t0 + 999ms), ConnectionExpiry::None);
        QCOMPARE(expiryOf(t, a, t0 + 1000ms), ConnectionExpiry::Idle);
        a.awaitingAnswers = true;   // a long-poll fetch, a mutation waiting for Raft
        QCOMPARE(expiryOf(t, a, t0 + 1h), ConnectionExpiry::None);
        a.awaitingAnswers = false;
        a.frameStartedAt = t0 + 500ms;   // judged by the request timeout instead
        QCOMPARE(expiryOf(t, a, t0 + 2000ms), ConnectionExpiry::None);
    }

    void sweepIntervalIsAQuarterOfTheShorterLimitWithinBounds()
    {
        QCOMPARE(ConnectionTimeouts({30000ms, 600000ms}).sweepInterval(), 1000ms);
        QCOMPARE(ConnectionTimeouts({1000ms, 600000ms}).sweepInterval(), 250ms);
        QCOMPARE(ConnectionTimeouts({30000ms, 400ms}).sweepInterval(), 100ms);
        QCOMPARE(ConnectionTimeouts({1ms, 1ms}).sweepInterval(), 10ms);
    }
};

QTEST_GUILESS_MAIN(ConnectionTimeoutsTest)
#include "ConnectionTimeoutsTest.moc"
