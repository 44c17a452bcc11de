// Offline partition bookkeeping: the retry schedule (1 s doubling to 60 s; every second after a
// failed write), one report per
// failure streak, and the SetOfflineReplicas diff against the image, which an applied report
// must leave empty (otherwise the broker would propose forever).
#include "kafka/server/OfflinePartitions.h"
#include "metadata.pb.h"
#include "metadata/MetadataStateMachine.h"

#include <QTest>

using namespace skiff;
using namespace skiff::kafka;
using namespace skiff::metadata;

namespace {

Uuid idOf(char c)
{
    Uuid id;
    id.fill(uint8_t(c));
    return id;
}

// A state machine with brokers 1 and 2 registered and topic `t` (3 partitions, all on 1 and 2).
MetadataStateMachine clusterWithTopic()
{
    MetadataStateMachine sm;
    uint64_t index = 0;
    for (uint64_t b : {1, 2}) {
        Command reg;
        reg.mutable_register_broker()->set_broker_id(b);
        reg.mutable_register_broker()->set_incarnation_id("inc-" + std::to_string(b));
        (void)sm.apply(++index, reg);
    }
    Command create;
    create.mutable_create_topic()->set_name("t");
    create.mutable_create_topic()->set_topic_id(std::string(16, 't'));
    for (int p = 0; p < 3; ++p) {
        auto *a = create.mutable_create_topic()->add_partitions();
        a->set_partition(p);
        a->add_replicas(1);
        a->add_replicas(2);
    }
    (void)sm.apply(++index, create);
    return sm;
}

} // namespace

class OfflinePartitionsTest : public QObject {
    Q_OBJECT
private slots:
    void retriesBackOffFromOneToSixtySeconds()
    {
        OfflinePartitions offline;
        const TopicPartition tp{"t", 0};
        const Status error = ioError("create partition directory /d/t-0: File exists");
        QVERIFY(offline.failed(tp, idOf('t'), error, 1000));   // the first failure is the one reported
        QCOMPARE(*offline.nextAttemptMs(), int64_t(2000));
        QVERIFY(offline.due(1999).empty());
        QCOMPARE(offline.due(2000).size(), size_t(1));
        int64_t now = 2000;
        std::vector<int64_t> waits;
        for (int i = 0; i < 8; ++i) {
            QVERIFY(!offline.failed(tp, idOf('t'), ioError("another reason"), now));
            waits.push_back(*offline.nextAttemptMs() - now);
            now = *offline.nextAttemptMs();
        }
        QCOMPARE(waits, (std::vector<int64_t>{2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
        QCOMPARE(offline.find(tp)->attempts, 9);
        QCOMPARE(offline.find(tp)->error.message(), error.message());   // the reason that was logged
        QCOMPARE(offline.find(tp)->sinceMs, int64_t(1000));

        auto gone = offline.remove(tp);
        QVERIFY(gone);
        QCOMPARE(gone->attempts, 9);
        QVERIFY(!offline.nextAttemptMs());
        QVERIFY(offline.failed(tp, idOf('t'), error, now));   // a new streak is reported again
        QCOMPARE(*offline.nextAttemptMs() - now, int64_t(1000));
    }

    void aFailedWriteIsRetriedEverySecondAndReportedLikeAFailedOpen()
    {
        OfflinePartitions offline;
        const TopicPartition tp{"t", 0};
        const Status error = ioError("writing /d/t-0/00000000000000000000.log: No space left on device");
        QVERIFY(offline.writeFailed(tp, idOf('t'), error, 1000));
        QVERIFY(offline.find(tp)->logOpen);
        int64_t now = 1000;
        for (int i = 0; i < 8; ++i) {   // failed probes: no growing backoff
            QCOMPARE(*offline.nextAttemptMs() - now, int64_t(1000));
            now = *offline.nextAttemptMs();
            QVERIFY(!offline.writeFailed(tp, idOf('t'), ioError("still full"), now));
        }
        QCOMPARE(offline.find(tp)->error.message(), error.message());
        QCOMPARE(offline.find(tp)->sinceMs, int64_t(1000));
        QCOMPARE(offline.find(tp)->attempts, 9);
        QVERIFY(!offline.find({"t", 1}));

        // The metadata hears of it as of any offline log: this broker's replica is marked.
        const MetadataStateMachine sm = clusterWithTopic();
        auto command = offline.report(*sm.image(), 1, "inc-1");
        QVERIFY(command);
        QCOMPARE(command->set_offline_replicas().offline_size(), 1);
        QCOMPARE(command->set_offline_replicas().offline(0).partition(), 0);
    }

    void reportBringsTheImageInLineAndThenIsEmpty()
    {
        MetadataStateMachine sm = clusterWithTopic();
        OfflinePartitions offline;
        QVERIFY(!offline.report(*sm.image(), 2, "inc-2"));   // nothing offline, nothing marked

        offline.failed({"t", 0}, idOf('t'), ioError("x"), 0);
        offline.failed({"t", 2}, idOf('t'), ioError("x"), 0);
        offline.failed({"t", 9}, idOf('t'), ioError("x"), 0);       // no such partition
        offline.failed({"gone", 0}, idOf('g'), ioError("x"), 0);    // no such topic
        auto report = offline.report(*sm.image(), 2, "inc-2");
        QVERIFY(report);
        QCOMPARE(report->set_offline_replicas().offline_size(), 2);
        QCOMPARE(report->set_offline_replicas().online_size(), 0);
        QVERIFY(sm.apply(10, *report).status.isOk());
        QCOMPARE(sm.image()->topic("t")->partitions[0].offlineReplicas, std::vector<uint64_t>{2});
        QCOMPARE(sm.image()->topic("t")->partitions[2].offlineReplicas, std::vector<uint64_t>{2});
        QVERIFY(!offline.report(*sm.image(), 2, "inc-2"));   // applied: nothing left to say

        offline.remove({"t", 0});
        report = offline.report(*sm.image(), 2, "inc-2");
        QVERIFY(report);
        QCOMPARE(report->set_offline_replicas().offline_size(), 0);
        QCOMPARE(report->set_offline_replicas().online_size(), 1);
        QCOMPARE(report->set_offline_replicas().online(0).partition(), 0);
        QVERIFY(sm.apply(11, *report).status.isOk());
        QVERIFY(sm.image()->topic("t")->partitions[0].offlineReplicas.empty());
        QVERIFY(!offline.report(*sm.image(), 2, "inc-2"));

        // Broker 1's marks are broker 1's business.
        OfflinePartitions other;
        other.failed({"t", 1}, idOf('t'), ioError("x"), 0);
        QVERIFY(sm.apply(12, *other.report(*sm.image(), 1, "inc-1")).status.isOk());
        QVERIFY(!offline.report(*sm.image(), 2, "inc-2"));
        QCOMPARE(sm.image()->topic("t")->partitions[1].offlineReplicas, std::vector<uint64_t>{1});
    }

    void aMarkUnderAnotherTopicIdIsCleared()
    {
        MetadataStateMachine sm = clusterWithTopic();
        OfflinePartitions offline;
        offline.failed({"t", 1}, idOf('t'), ioError("x"), 0);
        QVERIFY(sm.apply(10, *offline.report(*sm.image(), 2, "inc-2")).status.isOk());
        // Offline here under an id the topic no longer has: the image's mark is not ours to keep.
        offline.remove({"t", 1});
        offline.failed({"t", 1}, idOf('q'), ioError("x"), 0);
        auto report = offline.report(*sm.image(), 2, "inc-2");
        QVERIFY(report);
        QCOMPARE(report->set_offline_replicas().online_size(), 1);
        QCOMPARE(report->set_offline_replicas().offline_size(), 0);
        QVERIFY(sm.apply(11, *report).status.isOk());
        QVERIFY(!offline.report(*sm.image(), 2, "inc-2"));
    }
};

QTEST_GUILESS_MAIN(OfflinePartitionsTest)
#include "OfflinePartitionsTest.moc"
