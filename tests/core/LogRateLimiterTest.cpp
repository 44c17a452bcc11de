// The repeated-line limiter on an injected clock: the first line of a key is written, the rest of
// its interval is held back and counted, the next line after the interval says how many were held
// back, a flood that stops is summed up once its interval is over, keys do not hold each other
// back, and the number of keys stays bounded. Then RateLimitedLog on a real event loop: its timer
// writes the summary by itself and /metrics' counter moves.
#include "core/LogRateLimiter.h"
#include "core/RateLimitedLog.h"

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using skiff::core::LogFlood;
using skiff::core::LogRateLimiter;
using skiff::core::RateLimitedLog;

Q_LOGGING_CATEGORY(lcLimiterTest, "skiff.limitertest")

namespace {

struct FakeClock {
    LogRateLimiter::Clock::time_point t{std::chrono::hours(1)};
    LogRateLimiter::Now now()
    {
        return [this] { return t; };
    }
};

QStringList g_messages;

void captureMessages(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    if (QByteArray(context.category) == "skiff.limitertest")
        g_messages.append(message);
}

} // namespace

class LogRateLimiterTest : public QObject {
    Q_OBJECT
private slots:
    void firstLineIsWrittenAndTheRestOfTheIntervalHeldBack()
    {
        FakeClock clock;
        LogRateLimiter limiter(10s, clock.now());
        auto first = limiter.admit("refused", "closing connection from a:1: bad");
        QVERIFY(first);
        QCOMPARE(first->text, std::string("closing connection from a:1: bad"));
        for (int i = 0; i < 199; ++i) {
            clock.t += 10ms;
            QVERIFY(!limiter.admit("refused", "closing connection from b:" + std::to_string(i) + ": bad"));
        }
        QCOMPARE(limiter.heldBackTotal(), uint64_t(199));
        QVERIFY(limiter.flushDue().empty());   // the interval is not over yet
    }

    void theNextLineAfterTheIntervalSaysHowManyWereHeldBack()
    {
        FakeClock clock;
        LogRateLimiter limiter(10s, clock.now());
        QVERIFY(limiter.admit("k", "x"));
        clock.t += 1s;
        QVERIFY(!limiter.admit("k", "x"));
        QVERIFY(!limiter.admit("k", "x"));
        clock.t += 9s;   // exactly one interval after the first line
        auto line = limiter.admit("k", "y");
        QVERIFY(line);
        QCOMPARE(line->text, std::string("y (2 more like this in the last 10.0 s)"));
        clock.t += 1s;
        QVERIFY(!limiter.admit("k", "z"));   // a new interval began with "y"
    }

    void aFloodThatStopsIsSummedUpOnceItsIntervalIsOver()
    {
        FakeClock clock;
        LogRateLimiter limiter(10s, clock.now());
        QVERIFY(!limiter.nextDue());
        QVERIFY(limiter.admit("k", "line 0", 2));
        for (int i = 1; i <= 5; ++i) {
            clock.t += 100ms;
            QVERIFY(!limiter.admit("k", "line " + std::to_string(i), 2));
        }
        QCOMPARE(*limiter.nextDue(), clock.t - 500ms + 10s);
        clock.t += 9s;
        QVERIFY(limiter.flushDue().empty());
        clock.t += 500ms;
        auto lines = limiter.flushDue();
        QCOMPARE(lines.size(), size_t(1));
        QCOMPARE(lines[0].severity, 2);
        QCOMPARE(lines[0].text, std::string("line 5 (the last of 5 more like this in the last 10.0 s)"));
        QVERIFY(!limiter.nextDue());
        // The summary began a new interval: a line right after it is held back...
        clock.t += 1s;
        QVERIFY(!limiter.admit("k", "line 6"));
        // ...and a key quiet for a whole interval is forgotten: its next line is written as is.
        clock.t += 10s;
        QCOMPARE(limiter.flushDue().size(), size_t(1));
        clock.t += 10s;
        QVERIFY(limiter.flushDue().empty());
        auto again = limiter.admit("k", "line 7");
        QVERIFY(again);
        QCOMPARE(again->text, std::string("line 7"));
    }

    void keysDoNotHoldEachOtherBack()
    {
        FakeClock clock;
        LogRateLimiter limiter(10s, clock.now());
        QVERIFY(limiter.admit("append failed t-0", "a"));
        QVERIFY(limiter.admit("append failed t-1", "b"));
        QVERIFY(!limiter.admit("append failed t-0", "a"));
        QVERIFY(!limiter.admit("append failed t-1", "b"));
        clock.t += 10s;
        QCOMPARE(limiter.flushDue().size(), size_t(2));
    }

    void distinctKeysBeyondTheBoundShareOne()
    {
        FakeClock clock;
        LogRateLimiter limiter(10s, clock.now(), 4);
        int written = 0;
        for (int i = 0; i < 1000; ++i)
            written += limiter.admit("reason " + std::to_string(i), "line") ? 1 : 0;
        QCOMPARE(written, 5);   // four keys and the shared one
        QCOMPARE(limiter.heldBackTotal(), uint64_t(995));
        // Once the interval is over, quiet keys make room again.
        clock.t += 10s;
        limiter.flushDue();
        QVERIFY(limiter.admit("reason new", "line"));
    }

    void rateLimitedLogSumsUpByItselfAndCountsForMetrics()
    {
        g_messages.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureMessages);
        const uint64_t before = skiff::core::suppressedLogLines(LogFlood::AppendFailed);
        {
            RateLimitedLog log(LogFlood::AppendFailed, lcLimiterTest, nullptr, 200ms);
            QVERIFY(log.critical("append failed t-0", "append to t-0 failed: No space left on device #0"));
            for (int i = 1; i < 50; ++i)
                QVERIFY(!log.critical("append failed t-0", "append to t-0 failed: No space left on device #" + std::to_string(i)));
            QCOMPARE(g_messages.size(), 1);
            QCOMPARE(skiff::core::suppressedLogLines(LogFlood::AppendFailed), before + 49);
            QTRY_COMPARE_WITH_TIMEOUT(g_messages.size(), 2, 5000);
            QVERIFY2(g_messages[1].startsWith(QStringLiteral("append to t-0 failed: No space left on device #49 (the last of 49 more like this in the last 0.")),
                     qPrintable(g_messages[1]));
            QTest::qWait(500);
            QCOMPARE(g_messages.size(), 2);   // nothing more to say
        }
        qInstallMessageHandler(previous);
        QCOMPARE(QString::fromLatin1(skiff::core::logFloodName(LogFlood::AppendFailed)), QStringLiteral("append_failed"));
    }
};

QTEST_GUILESS_MAIN(LogRateLimiterTest)
#include "LogRateLimiterTest.moc"
