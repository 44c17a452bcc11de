// ReadIndex reads waiting on this node, without sockets or a Raft node: a read is answered with
// the image once the leader confirmed its index and this node applied that far, Unavailable once
// its deadline passed, and never to a receiver that is gone.
#include "cluster/ReadTracker.h"

#include <QCoreApplication>
#include <QTest>

#include <memory>

using namespace skiff;
using namespace skiff::cluster;

namespace {

struct Answer {
    int calls = 0;
    Status status;
    metadata::ImagePtr image;
};

ReadTracker::Done recordInto(Answer &answer)
{
    return [&answer](Status s, metadata::ImagePtr image) {
        ++answer.calls;
        answer.status = std::move(s);
        answer.image = std::move(image);
    };
}

// Answers are posted to the receiver's thread: runs what is queued on this one.
void deliver() { QCoreApplication::sendPostedEvents(); }

} // namespace

class ReadTrackerTest : public QObject {
    Q_OBJECT
private slots:
    void aReadIsAnsweredOnceConfirmedAndApplied()
    {
        ReadTracker reads("inc-1");
        const std::string ctx = reads.nextContext();
        QVERIFY(ctx != reads.nextContext());   // unique per read
        Answer answer;
        reads.add(ctx, this, recordInto(answer), /*deadlineMs=*/1000);
        auto image = std::make_shared<metadata::MetadataImage>();

        reads.serve({}, 100, image);   // not confirmed by the leader yet
        deliver();
        QCOMPARE(answer.calls, 0);
        reads.serve({{12, ctx}}, 11, image);   // confirmed at 12, applied only 11
        deliver();
        QCOMPARE(answer.calls, 0);
        QCOMPARE(reads.pending(), size_t(1));
        reads.serve({}, 12, image);
        QCOMPARE(answer.calls, 0);   // posted, not called in place
        deliver();
        QCOMPARE(answer.calls, 1);
        QVERIFY(answer.status.isOk());
        QVERIFY(answer.image == image);
        QCOMPARE(reads.pending(), size_t(0));
        reads.serve({{13, ctx}}, 20, image);   // a late ReadState for it changes nothing
        deliver();
        QCOMPARE(answer.calls, 1);
    }

    void aReadNotConfirmedInTimeIsAnsweredUnavailable()
    {
        ReadTracker reads("inc-1");
        Answer answer;
        reads.add(reads.nextContext(), this, recordInto(answer), 1000);
        reads.expire(999);
        deliver();
        QCOMPARE(answer.calls, 0);
        reads.expire(1000);
        deliver();
        QCOMPARE(answer.calls, 1);
        QCOMPARE(answer.status.code(), StatusCode::Unavailable);
        QVERIFY(!answer.image);
        QCOMPARE(reads.pending(), size_t(0));
    }

    void anAnswerToAGoneReceiverIsDropped()
    {
        ReadTracker reads("inc-1");
        Answer answer;
        auto receiver = std::make_unique<QObject>();
        const std::string ctx = reads.nextContext();
        reads.add(ctx, receiver.get(), recordInto(answer), 1000);
        reads.serve({{1, ctx}}, 1, std::make_shared<metadata::MetadataImage>());
        receiver.reset();   // gone after the answer was posted, before it ran
        deliver();
        QCOMPARE(answer.calls, 0);
        QCOMPARE(reads.pending(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(ReadTrackerTest)
#include "ReadTrackerTest.moc"
