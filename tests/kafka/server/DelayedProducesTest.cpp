// acks=all produces waiting for the high watermark (DelayedProduces), and the one-timer deadline
// set it shares with the long-poll fetches (Deadlines).
#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/Deadlines.h"
#include "kafka/server/DelayedProduces.h"

#include <QTest>

#include <map>
#include <vector>

using namespace skiff::kafka;

class DelayedProducesTest : public QObject {
    Q_OBJECT
private slots:
    void theHighWatermarkAnswersThoseItReached()
    {
        DelayedProduces produces;
        std::map<int, ErrorCode> answers;
        auto record = [&](int which) { return [&answers, which](ErrorCode e) { answers[which] = e; }; };
        produces.park({"t", 0}, 10, 60000, record(1));
        produces.park({"t", 0}, 20, 60000, record(2));
        produces.park({"t", 1}, 5, 60000, record(3));
        produces.reached({"t", 0}, 15);
        QCOMPARE(answers.size(), size_t(1));
        QCOMPARE(answers.at(1), ErrorCode::None);
        produces.reached({"t", 0}, 20);   // exactly its end: reached
        QCOMPARE(answers.at(2), ErrorCode::None);
        QVERIFY(!answers.count(3));       // another partition's HW says nothing about it
        QCOMPARE(produces.size(), size_t(1));
        produces.failAll({"t", 1}, ErrorCode::NotEnoughReplicasAfterAppend);
        QCOMPARE(answers.at(3), ErrorCode::NotEnoughReplicasAfterAppend);
        QCOMPARE(produces.size(), size_t(0));
    }

    void theDeadlineAnswersTimedOutOnce()
    {
        DelayedProduces produces;
        std::vector<ErrorCode> early, late;
        produces.park({"t", 0}, 10, 30, [&](ErrorCode e) { early.push_back(e); });
        produces.park({"t", 0}, 11, 40, [&](ErrorCode e) { late.push_back(e); });
        produces.reached({"t", 0}, 11);   // the second is answered before its deadline
        QTRY_COMPARE_WITH_TIMEOUT(early.size(), size_t(1), 5000);
        // A sentinel due after both deadlines: once it has timed out, theirs have passed too.
        bool sentinelTimedOut = false;
        produces.park({"t", 1}, 1, 60, [&](ErrorCode e) { sentinelTimedOut = e == ErrorCode::RequestTimedOut; });
        QTRY_VERIFY_WITH_TIMEOUT(sentinelTimedOut, 5000);
        QCOMPARE(late, std::vector<ErrorCode>{ErrorCode::None});   // not timed out afterwards
        QCOMPARE(early.front(), ErrorCode::None);
        produces.park({"t", 0}, 50, 20, [&](ErrorCode e) { late.push_back(e); });
        QTRY_COMPARE_WITH_TIMEOUT(late.size(), size_t(2), 5000);
        QCOMPARE(late.back(), ErrorCode::RequestTimedOut);
        QCOMPARE(produces.size(), size_t(0));
    }

    // An answer that leads to another (a leader change failing everything while one answer
    // parks a retry) sees a consistent set: nothing answered twice, nothing lost.
    void answersMayParkAndFinishOthers()
    {
        DelayedProduces produces;
        int answered = 0;
        bool retryAnswered = false;
        produces.park({"t", 0}, 1, 60000, [&](ErrorCode) {
            ++answered;
            produces.park({"t", 0}, 2, 60000, [&](ErrorCode e) { retryAnswered = e == ErrorCode::NotLeaderOrFollower; });
            produces.failAll({"t", 1}, ErrorCode::NotLeaderOrFollower);
        });
        produces.park({"t", 1}, 1, 60000, [&](ErrorCode) { ++answered; });
        produces.failEverything(ErrorCode::NotLeaderOrFollower);
        QCOMPARE(answered, 2);
        QCOMPARE(produces.size(), size_t(1));   // the retry parked during the answers
        produces.failEverything(ErrorCode::NotLeaderOrFollower);
        QVERIFY(retryAnswered);
        QCOMPARE(produces.size(), size_t(0));
    }

    void deadlinesExpireInOrderAndAnExpiryMayRemoveAnother()
    {
        std::vector<uint64_t> expired;
        uint64_t second = 0;
        Deadlines *self = nullptr;
        Deadlines deadlines([&](uint64_t id) {
            expired.push_back(id);
            self->remove(second);   // due at the same turn: must not expire after this
        });
        self = &deadlines;
        const uint64_t first = deadlines.add(10);
        second = deadlines.add(10);
        const uint64_t later = deadlines.add(60);
        const uint64_t removed = deadlines.add(20);
        deadlines.remove(removed);
        QCOMPARE(deadlines.size(), size_t(3));
        QTRY_COMPARE_WITH_TIMEOUT(expired.size(), size_t(2), 5000);
        QCOMPARE(expired, (std::vector<uint64_t>{first, later}));
        QCOMPARE(deadlines.size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(DelayedProducesTest)
#include "DelayedProducesTest.moc"
