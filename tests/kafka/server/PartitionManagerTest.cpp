// "Local logs follow the metadata image" has one owner, PartitionManager: publishing an image is
// enough for the logs it assigns here to be created and the ones it takes away to be removed, and
// for the group coordinator, which hangs off PartitionManager's logsFollowImage, to load and drop
// __consumer_offsets partitions. No Kafka request arrives in these tests (there is no KafkaApis).
#include "core/ConfigLoader.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/GroupCoordinator.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ReplicaManager.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/TopicAdminHandler.h"
#include "log/LogManager.h"
#include "metadata.pb.h"
#include "metadata/MetadataController.h"
#include "metadata/MetadataStateMachine.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace skiff;
using namespace skiff::kafka;

namespace {

// A controller of one: commands are applied at once and published as RaftController does
// (from the caller's thread here; PartitionManager's connection is queued either way).
class LocalController : public metadata::MetadataController {
public:
    metadata::ApplyResult apply(const metadata::Command &command)
    {
        metadata::ApplyResult result = m_stateMachine.apply(++m_index, command);
        publish(std::make_shared<metadata::MetadataImage>(*m_stateMachine.image()));
        return result;
    }
    void submit(const metadata::Command &command, QObject *context, std::function<void(metadata::ApplyResult)> done) override
    {
        metadata::replyOn(context, std::move(done), apply(command));   // published before answered
    }
    void describeQuorum(QObject *, std::function<void(Result<metadata::QuorumDescription>)>) override {}
    void grantLeaseUntil(int64_t expiresAtMs) { publishLease(expiresAtMs); }

private:
    metadata::MetadataStateMachine m_stateMachine;
    uint64_t m_index = 0;
};

metadata::Command registerBroker(uint64_t id)
{
    metadata::Command c;
    c.mutable_register_broker()->set_broker_id(id);
    c.mutable_register_broker()->set_incarnation_id("inc-" + std::to_string(id));
    return c;
}

// `leaders[p]` is the only replica of partition p.
metadata::Command createTopic(const std::string &name, char id, const std::vector<uint64_t> &leaders)
{
    metadata::Command c;
    c.mutable_create_topic()->set_name(name);
    c.mutable_create_topic()->set_topic_id(std::string(16, id));
    for (size_t p = 0; p < leaders.size(); ++p) {
        auto *a = c.mutable_create_topic()->add_partitions();
        a->set_partition(int32_t(p));
        a->add_replicas(leaders[p]);
    }
    return c;
}

metadata::Command deleteTopic(const std::string &name)
{
    metadata::Command c;
    c.mutable_delete_topic()->set_name(name);
    return c;
}

// Broker `id`'s registered process (registerBroker's) is fenced, or unfenced. Fencing moves its
// leaderships to another in-sync replica, and a partition it alone was in sync for waits for it.
metadata::Command fence(uint64_t id, bool fenced)
{
    metadata::Command c;
    const std::string incarnation = "inc-" + std::to_string(id);
    if (fenced) {
        c.mutable_fence_broker()->set_broker_id(id);
        c.mutable_fence_broker()->set_incarnation_id(incarnation);
    } else {
        c.mutable_unfence_broker()->set_broker_id(id);
        c.mutable_unfence_broker()->set_incarnation_id(incarnation);
    }
    return c;
}

// Delivers what was posted to this thread (the queued publications and what they post in turn,
// such as the coordinator's load steps), without waiting on a clock.
void deliverPosted()
{
    for (int round = 0; round < 10; ++round)
        QCoreApplication::sendPostedEvents();
}

} // namespace

class PartitionManagerTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;   // fresh per test
    core::NodeConfig m_config;
    std::unique_ptr<LocalController> m_controller;
    std::unique_ptr<PartitionManager> m_partitions;

    bool hasLogDir(const std::string &topic, int32_t partition) const
    {
        return QFileInfo(QString::fromStdString(m_config.dataDir + "/" + log::LogManager::dirName(topic, partition))).isDir();
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        // The embedded defaults, as skiffd runs on them.
        auto loaded = core::ConfigLoader::load({"--node-id", "1", "--data-dir", m_dir->path().toStdString()});
        QVERIFY2(loaded.errors.empty(), loaded.errors.empty() ? "" : loaded.errors.front().c_str());
        m_config = loaded.config;
        m_controller = std::make_unique<LocalController>();
        QVERIFY(m_controller->apply(registerBroker(1)).status.isOk());
        QVERIFY(m_controller->apply(registerBroker(2)).status.isOk());
        m_partitions = std::make_unique<PartitionManager>(m_config, m_controller.get(), PartitionManager::NodeLinks{}, nullptr);
        QVERIFY(m_partitions->open().isOk());
        deliverPosted();   // the registrations' publications, already followed by open()
    }
    void cleanup()
    {
        bool closed = false;
        m_partitions->close([&](Status s) { closed = s.isOk(); });
        QVERIFY(closed);
        m_partitions.reset();
        m_controller.reset();
        m_dir.reset();
    }

    void publishingATopicCreatesAndRemovesItsLogsWithoutARequest()
    {
        QSignalSpy followed(m_partitions.get(), &PartitionManager::logsFollowImage);
        QVERIFY(m_controller->apply(createTopic("t", 't', {1, 2, 1})).status.isOk());
        QVERIFY(!hasLogDir("t", 0));   // published on this thread, followed when delivered
        deliverPosted();
        QVERIFY(hasLogDir("t", 0));
        QVERIFY(!hasLogDir("t", 1));   // broker 2's
        QVERIFY(hasLogDir("t", 2));
        QCOMPARE(followed.count(), 1);
        QVERIFY(followed.last().at(0).value<metadata::ImagePtr>() == m_controller->image());

        QVERIFY(m_controller->apply(deleteTopic("t")).status.isOk());
        deliverPosted();
        QVERIFY(!hasLogDir("t", 0));
        QVERIFY(!hasLogDir("t", 2));
        QCOMPARE(followed.count(), 2);
        QVERIFY(followed.last().at(0).value<metadata::ImagePtr>() == m_controller->image());
    }

    void followingTheLatestImageTwiceDoesNothingTheSecondTime()
    {
        QSignalSpy followed(m_partitions.get(), &PartitionManager::logsFollowImage);
        QVERIFY(m_controller->apply(createTopic("t", 't', {1})).status.isOk());
        m_partitions->followLatestImage();   // a request arriving before the publication is delivered
        QVERIFY(hasLogDir("t", 0));
        QCOMPARE(followed.count(), 1);
        deliverPosted();   // the queued publication: nothing left to do
        QCOMPARE(followed.count(), 1);
    }

    void anAcksAllProduceWaitingWhenTheLeaseExpiresIsAnsweredNotLeaderAtOnce()
    {
        // Partition 0 led here, broker 2 in its ISR but never fetching: the HW stays at 0.
        metadata::Command topic = createTopic("t", 't', {1});
        topic.mutable_create_topic()->mutable_partitions(0)->add_replicas(2);
        QVERIFY(m_controller->apply(topic).status.isOk());
        deliverPosted();
        const TopicPartition tp{"t", 0};
        QVERIFY(m_partitions->replicas().leaderEpoch(tp).has_value());

        const int64_t now = metadata::MetadataController::monotonicNowMs();
        m_controller->grantLeaseUntil(now + 200);
        std::optional<ErrorCode> answer;
        m_partitions->replicas().whenReplicated(tp, 1, 600000, [&](ErrorCode e) { answer = e; });
        QVERIFY(!answer);   // waiting for the HW
        // A renewal moves the expiry: the produce keeps waiting past the first one.
        m_controller->grantLeaseUntil(now + 400);
        QTest::qWait(250);
        QVERIFY(!answer);
        // Not renewed again: answered once the lease runs out, not at the 10-minute timeout.
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
        QCOMPARE(*answer, ErrorCode::NotLeaderOrFollower);
        QVERIFY(metadata::MetadataController::monotonicNowMs() >= now + 400);
    }

    void aLeaseLapseCountsFromTheFirstTurnThatFoundTheLeaseOut()
    {
        QCOMPARE(m_controller->leaseLapsedMs(), int64_t(0));   // never granted: no lapse
        m_controller->grantLeaseUntil(INT64_MIN);              // no heartbeat answered yet
        QCOMPARE(m_controller->leaseLapsedMs(), int64_t(0));
        const int64_t start = metadata::MetadataController::monotonicNowMs();
        m_controller->grantLeaseUntil(start + 50);
        QTest::qWait(120);
        // Out by the clock, but the controller thread has not had a turn since (a process resumed
        // after SIGSTOP): no lapse. Its first turn finds it out: still none, the lapse starts.
        QVERIFY(!m_controller->leaseHeld());
        QCOMPARE(m_controller->leaseLapsedMs(), int64_t(0));
        m_controller->grantLeaseUntil(start + 50);
        const int64_t foundOut = metadata::MetadataController::monotonicNowMs();
        QCOMPARE(m_controller->leaseLapsedMs(), int64_t(0));
        QTest::qWait(100);
        m_controller->grantLeaseUntil(start + 50);   // a later turn, still not renewed
        QVERIFY(m_controller->leaseLapsedMs() >= 95);
        QVERIFY(m_controller->leaseLapsedMs() <= metadata::MetadataController::monotonicNowMs() - foundOut);
        m_controller->grantLeaseUntil(metadata::MetadataController::monotonicNowMs() + 1000);   // renewed
        QCOMPARE(m_controller->leaseLapsedMs(), int64_t(0));
    }

    void theGroupCoordinatorFollowsThePublishedImage()
    {
        QObject owner;
        RequestAuthorizer authorizer(m_config, nullptr, &owner);
        BrokerContext context{m_config, *m_controller, *m_partitions, m_partitions->topicConfigs(), &owner, authorizer};
        TopicAdminHandler admin(context);
        GroupCoordinator coordinator(context, admin);
        deliverPosted();
        bool loading = true;
        QVERIFY(coordinator.loadedShards(&loading).empty());

        metadata::Command offsets = createTopic(GroupCoordinator::kTopic, 'c', {1, 1, 2});
        offsets.mutable_create_topic()->mutable_partitions(0)->add_replicas(2);   // 2 follows partition 0
        QVERIFY(m_controller->apply(offsets).status.isOk());
        deliverPosted();
        QCOMPARE(coordinator.loadedShards(&loading).size(), size_t(2));
        QVERIFY(!loading);
        QVERIFY(hasLogDir(GroupCoordinator::kTopic, 0));
        QVERIFY(hasLogDir(GroupCoordinator::kTopic, 1));

        // A group of a partition led here is served; one led by broker 2 is not ours.
        std::string here, there;
        for (int i = 0; here.empty() || there.empty(); ++i) {
            const std::string group = "group-" + std::to_string(i);
            (coordinator.partitionFor(group) == 2 ? there : here) = group;
        }
        QCOMPARE(coordinator.lookup(here).error, ErrorCode::None);
        QVERIFY(coordinator.lookup(here).shard);
        QCOMPARE(coordinator.lookup(there).error, ErrorCode::NotCoordinator);

        // Leadership of partition 0 moves away (to broker 2 when broker 1 is fenced, and it stays
        // there when broker 1 is back, which leads partition 1 again, the only replica in sync):
        // its groups are dropped as soon as it is published.
        QVERIFY(m_controller->apply(fence(1, true)).status.isOk());
        QVERIFY(m_controller->apply(fence(1, false)).status.isOk());
        QCOMPARE(m_controller->image()->topic(GroupCoordinator::kTopic)->partitions[0].leader, uint64_t(2));
        QCOMPARE(m_controller->image()->topic(GroupCoordinator::kTopic)->partitions[1].leader, uint64_t(1));
        deliverPosted();
        QCOMPARE(coordinator.loadedShards(&loading).size(), size_t(1));
        QVERIFY(!loading);
        QCOMPARE(coordinator.lookup(here).error,
                 coordinator.partitionFor(here) == 0 ? ErrorCode::NotCoordinator : ErrorCode::None);
        coordinator.shutdown();
    }
};

QTEST_GUILESS_MAIN(PartitionManagerTest)
#include "PartitionManagerTest.moc"
