// The admin socket against a real single-node RaftController in a temporary directory, each on
// its own thread as in skiffd: status fields, token enforcement on mutations (reads stay open)
// with growing delays for wrong tokens, topics created and deleted through the metadata log, the
// Subscribe stream with relayed events, and malformed frames closing only the connection they
// came on. Ports come from binding port 0.
#include "admin/AdminClient.h"
#include "admin/AdminServer.h"
#include "admin/AdminMutationGate.h"
#include "admin/EventRing.h"
#include "admin/ScramUserCommands.h"
#include "common/SecretCompare.h"
#include "cluster/CommandNarration.h"
#include "cluster/RaftController.h"
#include "kafka/server/ReplicationView.h"
#include "log/GroupCommitter.h"
#include "log/PartitionLog.h"
#include "log/RecordBatchBuilder.h"
#include "metrics/Histogram.h"
#include "metadata.pb.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QtEndian>

#include <algorithm>
#include <atomic>
#include <future>
#include <memory>

using namespace skiff;
using namespace skiff::admin;

namespace {

constexpr int kTimeoutMs = 5000;
constexpr int64_t kStartMs = 1700000000123;

} // namespace

class AdminServerTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        cluster::ClusterOptions o;
        o.nodeId = 1;
        o.clusterId = "admin-test";
        o.incarnationId = "inc-1";
        o.buildVersion = "test";
        o.dataDir = m_dir.path().toStdString();
        o.raftHost = "127.0.0.1";
        o.raftPort = 0;
        o.tickMs = 10;
        o.brokerHeartbeatIntervalMs = 50;
        m_controller = new cluster::RaftController(o);
        m_controller->moveToThread(&m_raftThread);
        m_raftThread.start();
        m_controller->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_controller->clusterStatus()->leaderId == 1, kTimeoutMs);

        // Register this broker, as Node does, so that topics have somewhere to go.
        metadata::Command command;
        auto *reg = command.mutable_register_broker();
        reg->set_broker_id(1);
        reg->set_incarnation_id("inc-1");
        reg->set_kafka_host("127.0.0.1");
        reg->set_kafka_port(9092);
        reg->set_admin_address("127.0.0.1:9094");
        bool registered = false;
        m_controller->submit(command, this, [&](metadata::ApplyResult r) { registered = r.status.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(registered, kTimeoutMs);

        AdminContext context;
        context.controller = m_controller;
        context.nodeId = 1;
        context.clusterId = "admin-test";
        context.incarnationId = "inc-1";
        context.token = "s3cret";
        context.access.mutationAuth = skiff::core::MutationAuth::Token;
        context.processStartUnixMs = kStartMs;
        context.startupState = [this]() { return std::string(m_state.load()); };
        context.logFsyncLatency = [this]() { return m_logFsync.snapshot(); };
        context.ledPartitions = [this]() { return m_replication.snapshot(); };
        context.maxFollowerLag = [this]() { return m_maxFollowerLag.load(); };
        context.coordinatedGroups = [this]() { return m_groups.snapshot(); };
        context.topicPolicy.validateConfigs = [](const std::map<std::string, std::string> &c) {
            return c.count("bogus") ? invalidArgument("unknown topic config 'bogus'") : Status::ok();
        };
        m_server = new AdminServer(std::move(context));
        m_server->moveToThread(&m_adminThread);
        m_adminThread.start();
        quint16 port = 0;
        QMetaObject::invokeMethod(m_server, [&]() {
            if (m_server->listen(QStringLiteral("127.0.0.1"), 0).isOk())
                port = m_server->port();
        }, Qt::BlockingQueuedConnection);
        QVERIFY(port != 0);
        m_address = "127.0.0.1:" + std::to_string(port);
    }

    void cleanupTestCase()
    {
        QMetaObject::invokeMethod(m_server, [this]() { delete m_server; }, Qt::BlockingQueuedConnection);
        m_adminThread.quit();
        m_adminThread.wait();
        bool stopped = false;
        m_controller->stop(this, [&stopped]() { stopped = true; });
        QTRY_VERIFY_WITH_TIMEOUT(stopped, kTimeoutMs);
        QMetaObject::invokeMethod(m_controller, [this]() { delete m_controller; }, Qt::BlockingQueuedConnection);
        m_raftThread.quit();
        m_raftThread.wait();
    }

    void statusCarriesIdentityRaftAndBrokers()
    {
        AdminClient client;
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request request;
        request.mutable_get_status();
        // Wait for readiness: the controller answers this broker's heartbeats.
        StatusSnapshot s;
        QTRY_VERIFY_WITH_TIMEOUT((s = client.call(request, kTimeoutMs).value().status()).ready(), kTimeoutMs);
        QCOMPARE(s.node_id(), uint64_t(1));
        QCOMPARE(s.cluster_id(), std::string("admin-test"));
        QCOMPARE(s.incarnation_id(), std::string("inc-1"));
        QVERIFY(!s.build().version().empty() && !s.build().git_hash().empty() && !s.build().build_time().empty());
        QCOMPARE(s.process_start_unix_ms(), kStartMs);
        QVERIFY(s.server_time_unix_ms() > kStartMs);
        QCOMPARE(s.startup_state(), std::string("ready"));
        QCOMPARE(s.role(), std::string("leader"));
        QCOMPARE(s.leader_id(), uint64_t(1));
        QVERIFY(s.term() >= 1);
        QCOMPARE(s.vote(), uint64_t(1));
        QVERIFY(s.commit() >= 2 && s.applied() >= 2);
        QCOMPARE(s.voters_size(), 1);
        QCOMPARE(s.voters(0), uint64_t(1));
        QCOMPARE(s.brokers_size(), 1);
        QCOMPARE(s.brokers(0).host(), std::string("127.0.0.1"));
        QCOMPARE(s.brokers(0).port(), 9092u);
        QVERIFY(!s.brokers(0).fenced());
        QVERIFY(s.brokers(0).heartbeat_known());   // the leader hears its own broker
        QVERIFY(s.ready_iterations() > 0);
        // The metadata WAL has synced (registration); no Kafka source is wired in this test.
        QVERIFY(s.wal_fsync_measured());
        QVERIFY(s.wal_fsync_micros().count() > 0);
        QVERIFY(!s.kafka_requests_measured());
        QVERIFY(s.ready_loop_interval_micros().count() > 0);
        QCOMPARE(s.ready_loop_phases_size(), 4);

        // The startup state is the node's, read at each request; not ready until it says so.
        m_state = "catching-up";
        s = client.call(request, kTimeoutMs).value().status();
        QCOMPARE(s.startup_state(), std::string("catching-up"));
        QVERIFY(!s.ready());
        QCOMPARE(s.ready_reason(), std::string("the node is catching-up"));
        m_state = "ready";
    }

    // The partition-log fsync histogram is wired as skiffd wires it (the group committer's hook
    // records into it): not measured before any partition log has synced, measured after one
    // produce-like append was made durable by a group commit.
    void logFsyncMeasuredFromTheGroupCommitter()
    {
        AdminClient client;
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request request;
        request.mutable_get_status();
        StatusSnapshot s = client.call(request, kTimeoutMs).value().status();
        QVERIFY(!s.log_fsync_measured());
        QVERIFY(!s.has_log_fsync_micros());

        auto log = log::PartitionLog::open(m_dir.path().toStdString() + "/produce-0", log::LogConfig{}).value();
        log::GroupCommitter::Options options;
        options.fsyncLatencyHook = [this](int64_t micros) { m_logFsync.record(micros); };
        log::GroupCommitter committer(options);
        committer.start();
        QVERIFY(log->append(log::RecordBatchBuilder().add("k", "v", 1).build(), 0).isOk());
        std::promise<Status> durable;
        committer.requestSync(log, [&durable](Status st) { durable.set_value(st); });
        QVERIFY(durable.get_future().get().isOk());
        committer.stop();

        s = client.call(request, kTimeoutMs).value().status();
        QVERIFY(s.log_fsync_measured());
        QCOMPARE(s.log_fsync_micros().count(), uint64_t(1));
    }

    void requestIdEchoedAndUnknownVersionRefusedWithoutClosing()
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(std::stoi(m_address.substr(10))));
        QVERIFY(socket.waitForConnected(kTimeoutMs));
        Request r;
        r.set_protocol_version(99);
        r.set_request_id(4242);
        r.mutable_get_status();
        socket.write(encodeAdminFrame(r));
        Response response = readOne(socket);
        QCOMPARE(response.request_id(), uint64_t(4242));
        QCOMPARE(response.error_code(), ERROR_CODE_UNSUPPORTED_VERSION);
        QVERIFY(response.error_message().find("speaks version 1") != std::string::npos);

        Request empty;   // a body this node does not know (a newer client)
        empty.set_protocol_version(kProtocolVersion);
        empty.set_request_id(7);
        socket.write(encodeAdminFrame(empty));
        response = readOne(socket);
        QCOMPARE(response.request_id(), uint64_t(7));
        QCOMPARE(response.error_code(), ERROR_CODE_INVALID_REQUEST);

        r.set_protocol_version(kProtocolVersion);
        socket.write(encodeAdminFrame(r));
        response = readOne(socket);
        QCOMPARE(response.error_code(), ERROR_CODE_NONE);
        QVERIFY(response.has_status());
    }

    void mutationsNeedTheTokenReadsDoNot()
    {
        Request create;
        create.mutable_create_topic()->set_name("guarded");
        create.mutable_create_topic()->set_partitions(3);
        for (const std::string token : {"", "wrong", "s3cre", "s3cret!"}) {
            AdminClient client(token);
            QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression("refused create_topic from 127\\.0\\.0\\.1:\\d+"));
            auto r = client.call(create, kTimeoutMs);
            QVERIFY(r.isOk());
            QCOMPARE(r->error_code(), ERROR_CODE_UNAUTHORIZED);
            QVERIFY(r->error_message().find("admin.token") != std::string::npos);
            Request read;
            read.mutable_list_topics();
            auto topics = client.call(read, kTimeoutMs);
            QVERIFY(topics.isOk());
            QCOMPARE(topics->error_code(), ERROR_CODE_NONE);
            QCOMPARE(topics->topics().topics_size(), 0);
        }
    }

    void tokenComparisonAndDelaySchedule()
    {
        QVERIFY(secretEquals("s3cret", "s3cret"));
        QVERIFY(secretEquals("", ""));
        for (const char *other : {"", "s3cre", "s3cret!", "S3cret", "s3creu", "x", "s3crets3cret"})
            QVERIFY2(!secretEquals(other, "s3cret"), other);
        QVERIFY(!secretEquals("x", ""));
        using std::chrono::milliseconds;
        QCOMPARE(AdminMutationGate::delayAfter(0), milliseconds(0));
        QCOMPARE(AdminMutationGate::delayAfter(1), milliseconds(100));
        QCOMPARE(AdminMutationGate::delayAfter(2), milliseconds(200));
        QCOMPARE(AdminMutationGate::delayAfter(5), milliseconds(1600));
        QCOMPARE(AdminMutationGate::delayAfter(6), milliseconds(3200));
        QCOMPARE(AdminMutationGate::delayAfter(7), milliseconds(5000));
        QCOMPARE(AdminMutationGate::delayAfter(1000000), milliseconds(5000));
    }

    void mutationRulesSayWhatIsMissing()
    {
        using skiff::core::MutationAuth;
        Request create;
        create.set_protocol_version(kProtocolVersion);
        create.mutable_create_topic()->set_name("t");
        Request read;
        read.set_protocol_version(kProtocolVersion);
        read.mutable_list_topics();
        auto with = [](Request r, const std::string &token) {
            r.set_token(token);
            return r;
        };
        const QRegularExpression refusedLine("refused create_topic from peer");
        // Each case: a fresh connection's gate, its certificate (empty: none), the request, and
        // the refusal expected (empty: admitted).
        struct Case {
            MutationAuth rule;
            std::string certificate;
            Request request;
            std::string refusal;
        };
        const std::vector<Case> cases = {
            {MutationAuth::Open, "", create, ""},
            {MutationAuth::Token, "", create, "create_topic needs the node's admin.token"},
            {MutationAuth::Token, "User:CN=admin", create, "create_topic needs the node's admin.token"},
            {MutationAuth::Token, "", with(create, "s3cret"), ""},
            {MutationAuth::Certificate, "", with(create, "s3cret"), "create_topic needs a client certificate (admin.mutation.auth = certificate;"},
            {MutationAuth::Certificate, "User:CN=admin", create, ""},
            {MutationAuth::Certificate, "User:CN=bob", create, "the client certificate's subject CN=bob is not in admin.ssl.principals"},
            {MutationAuth::TokenOrCertificate, "", with(create, "wrong"), "create_topic needs the node's admin.token or a client certificate"},
            {MutationAuth::TokenOrCertificate, "", with(create, "s3cret"), ""},
            {MutationAuth::TokenOrCertificate, "User:CN=admin", create, ""},
            {MutationAuth::TokenAndCertificate, "User:CN=admin", create, "needs the node's admin.token as well as the client certificate"},
            {MutationAuth::TokenAndCertificate, "", with(create, "s3cret"), "needs a client certificate as well as the admin.token"},
            {MutationAuth::TokenAndCertificate, "User:CN=bob", with(create, "s3cret"), "CN=bob is not in admin.ssl.principals"},
            {MutationAuth::TokenAndCertificate, "User:CN=admin", with(create, "s3cret"), ""},
            {MutationAuth::TokenAndCertificate, "", read, ""},   // reads pass whatever the rule
        };
        for (const Case &c : cases) {
            AdminMutationGate gate(c.rule, "s3cret", {"User:CN=admin"}, QStringLiteral("peer"));
            if (!c.certificate.empty())
                gate.setCertificatePrincipal(c.certificate);
            if (!c.refusal.empty())
                QTest::ignoreMessage(QtWarningMsg, refusedLine);
            const auto refusal = gate.refusal(c.request);
            const std::string what = std::string(skiff::core::mutationAuthName(c.rule)) + " with '" + c.certificate
                                     + "' and token '" + c.request.token() + "': " + refusal.value_or("admitted");
            QVERIFY2(refusal.has_value() == !c.refusal.empty(), what.c_str());
            if (refusal)
                QVERIFY2(refusal->find(c.refusal) != std::string::npos, what.c_str());
        }
    }

    void wrongTokensOnOneConnectionWaitLongerEachTime()
    {
        // 2,000 guesses once took 0.01 s on one connection. The k-th wrong token in a row is now
        // answered after min(100 ms * 2^(k-1), 5 s), and sending them all at once does not help:
        // the connection reads nothing while a refusal waits. 5 guesses: 0.1+0.2+0.4+0.8+1.6 s.
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(std::stoi(m_address.substr(10))));
        QVERIFY(socket.waitForConnected(kTimeoutMs));
        Request guess;
        guess.set_protocol_version(kProtocolVersion);
        guess.mutable_delete_topic()->set_name("no-such-topic");   // NOT_FOUND once let through
        QByteArray frames;
        for (int i = 1; i <= 5; ++i) {
            guess.set_request_id(uint64_t(i));
            guess.set_token("guess-" + std::to_string(i));
            frames += encodeAdminFrame(guess);
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("refused delete_topic from 127\\.0\\.0\\.1:\\d+: wrong admin token"));
        QElapsedTimer clock;
        clock.start();
        socket.write(frames);
        QVERIFY(socket.waitForBytesWritten(kTimeoutMs));

        // The delays are timers: the admin thread answers other connections meanwhile.
        AdminClient other;
        QVERIFY(other.connectTo(m_address, kTimeoutMs).isOk());
        Request status;
        status.mutable_get_status();
        QVERIFY(other.call(status, kTimeoutMs).isOk());
        QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));

        for (uint64_t i = 1; i <= 5; ++i) {
            const Response r = readOne(socket);
            QCOMPARE(r.request_id(), i);
            QCOMPARE(r.error_code(), ERROR_CODE_UNAUTHORIZED);
        }
        QVERIFY2(clock.elapsed() >= 3000, qPrintable(QString::number(clock.elapsed())));

        // The right token still works on this connection, and resets the schedule.
        guess.set_request_id(6);
        guess.set_token("s3cret");
        socket.write(encodeAdminFrame(guess));
        QCOMPARE(readOne(socket).error_code(), ERROR_CODE_NOT_FOUND);
        guess.set_request_id(7);
        guess.set_token("guess-7");
        clock.restart();
        socket.write(encodeAdminFrame(guess));
        QCOMPARE(readOne(socket).error_code(), ERROR_CODE_UNAUTHORIZED);
        const qint64 afterReset = clock.elapsed();
        QVERIFY2(afterReset >= 90 && afterReset < 3000, qPrintable(QString::number(afterReset)));   // 6th in a row: 3.2 s
    }

    void topicsCreatedAndDeletedThroughTheLog()
    {
        AdminClient client("s3cret");
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request create;
        create.mutable_create_topic()->set_name("orders");
        create.mutable_create_topic()->set_partitions(3);
        (*create.mutable_create_topic()->mutable_configs())["retention.ms"] = "1000";
        auto r = client.call(create, kTimeoutMs);
        QVERIFY(r.isOk());
        QCOMPARE(r->error_code(), ERROR_CODE_NONE);
        QVERIFY2(r->done().detail().find("3 partition(s)") != std::string::npos, r->done().detail().c_str());

        // Answered once applied here: the very next read shows it.
        Request list;
        list.mutable_list_topics();
        auto topics = client.call(list, kTimeoutMs).value().topics();
        QCOMPARE(topics.topics_size(), 1);
        QCOMPARE(topics.topics(0).name(), std::string("orders"));
        QCOMPARE(topics.topics(0).partitions(), 3);
        QCOMPARE(topics.topics(0).replication_factor(), 1);
        QCOMPARE(topics.topics(0).configs().at("retention.ms"), std::string("1000"));
        Request describe;
        describe.mutable_describe_partitions()->add_topics("orders");
        auto partitions = client.call(describe, kTimeoutMs).value().partitions();
        QCOMPARE(partitions.partitions_size(), 3);
        QCOMPARE(partitions.partitions(2).replicas(0), uint64_t(1));

        QCOMPARE(client.call(create, kTimeoutMs)->error_code(), ERROR_CODE_ALREADY_EXISTS);
        Request bad = create;
        bad.mutable_create_topic()->set_name("bad name!");
        QCOMPARE(client.call(bad, kTimeoutMs)->error_code(), ERROR_CODE_INVALID_REQUEST);
        bad = create;
        bad.mutable_create_topic()->set_name("too-many-replicas");
        bad.mutable_create_topic()->set_replication_factor(3);
        QCOMPARE(client.call(bad, kTimeoutMs)->error_code(), ERROR_CODE_INVALID_REQUEST);
        // Wider than Kafka's int16: the planner's own words, not "must be at least 1".
        bad.mutable_create_topic()->set_replication_factor(40000);
        auto wide = client.call(bad, kTimeoutMs);
        QCOMPARE(wide->error_code(), ERROR_CODE_INVALID_REQUEST);
        QCOMPARE(wide->error_message(), std::string("replication factor must be at most 32767, got 40000"));
        bad = create;
        bad.mutable_create_topic()->set_name("bad-config");
        (*bad.mutable_create_topic()->mutable_configs())["bogus"] = "1";
        auto refused = client.call(bad, kTimeoutMs);
        QCOMPARE(refused->error_code(), ERROR_CODE_INVALID_REQUEST);
        QCOMPARE(refused->error_message(), std::string("unknown topic config 'bogus'"));
        describe.mutable_describe_partitions()->add_topics("missing");
        QCOMPARE(client.call(describe, kTimeoutMs)->error_code(), ERROR_CODE_NOT_FOUND);

        Request del;
        del.mutable_delete_topic()->set_name("orders");
        QCOMPARE(client.call(del, kTimeoutMs)->error_code(), ERROR_CODE_NONE);
        QCOMPARE(client.call(list, kTimeoutMs)->topics().topics_size(), 0);
        QCOMPARE(client.call(del, kTimeoutMs)->error_code(), ERROR_CODE_NOT_FOUND);
    }

    // A partition led by a fenced broker is offline: fencing took its leadership and, with no
    // other replica, the partition waits for it, so DescribePartitions names no leader (as Kafka
    // Metadata does) and lists the broker as an offline replica; ListTopics counts it. Broker 2 is
    // registered, then fenced, through the log; it never heartbeats, so nothing unfences it.
    void partitionsLedByAFencedBrokerAreOffline()
    {
        auto apply = [this](const metadata::Command &command) {
            bool done = false, ok = false;
            m_controller->submit(command, this, [&](metadata::ApplyResult r) {
                ok = r.status.isOk();
                done = true;
            });
            return QTest::qWaitFor([&] { return done; }, kTimeoutMs) && ok;
        };
        metadata::Command reg;
        reg.mutable_register_broker()->set_broker_id(2);
        reg.mutable_register_broker()->set_incarnation_id("inc-2");
        reg.mutable_register_broker()->set_kafka_host("127.0.0.1");
        reg.mutable_register_broker()->set_kafka_port(9192);
        QVERIFY(apply(reg));
        metadata::Command create;
        auto *topic = create.mutable_create_topic();
        topic->set_name("split");
        topic->set_topic_id(std::string(16, '\x07'));
        for (int p = 0; p < 2; ++p) {
            auto *a = topic->add_partitions();
            a->set_partition(p);
            a->add_replicas(p == 0 ? 1 : 2);
        }
        QVERIFY(apply(create));
        metadata::Command fence;
        fence.mutable_fence_broker()->set_broker_id(2);
        fence.mutable_fence_broker()->set_incarnation_id("inc-2");
        QVERIFY(apply(fence));

        AdminClient client;
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request describe;
        describe.mutable_describe_partitions()->add_topics("split");
        const PartitionList partitions = client.call(describe, kTimeoutMs).value().partitions();
        QCOMPARE(partitions.partitions_size(), 2);
        const Partition &ok = partitions.partitions(0);
        QCOMPARE(ok.leader(), uint64_t(1));
        QCOMPARE(ok.assigned_leader(), uint64_t(1));
        QCOMPARE(ok.state(), PARTITION_STATE_OK);
        QCOMPARE(ok.offline_replicas_size(), 0);
        const Partition &off = partitions.partitions(1);
        QCOMPARE(off.leader(), uint64_t(0));
        QCOMPARE(off.assigned_leader(), uint64_t(0));
        QCOMPARE(off.isr_size(), 1);   // its last ISR member stays
        QCOMPARE(off.isr(0), uint64_t(2));
        QCOMPARE(off.state(), PARTITION_STATE_OFFLINE);
        QCOMPARE(off.offline_replicas_size(), 1);
        QCOMPARE(off.offline_replicas(0), uint64_t(2));

        Request list;
        list.mutable_list_topics();
        const TopicList topics = client.call(list, kTimeoutMs).value().topics();
        QCOMPARE(topics.topics_size(), 1);
        QCOMPARE(topics.topics(0).offline_partitions(), 1);

        metadata::Command cleanup;
        cleanup.mutable_delete_topic()->set_name("split");
        QVERIFY(apply(cleanup));
        metadata::Command remove;
        remove.mutable_remove_broker()->set_broker_id(2);
        QVERIFY(apply(remove));
    }

    // The leader's view of its followers (as the ReplicaManager publishes it) reaches
    // DescribePartitions for the partitions this node leads in the epoch the metadata names, and
    // nowhere else: a partition led by broker 2, or one whose view is from another epoch, carries
    // no replication. The leader's log start, size and segments come with it. The status carries
    // the largest follower lag. Fencing broker 2 moves its leadership here: one broker-fenced
    // event, then one leader-elected event naming the move.
    void replicationOfPartitionsLedHereAndLeaderElectedEvents()
    {
        auto apply = [this](const metadata::Command &command) {
            bool done = false, ok = false;
            m_controller->submit(command, this, [&](metadata::ApplyResult r) {
                ok = r.status.isOk();
                done = true;
            });
            return QTest::qWaitFor([&] { return done; }, kTimeoutMs) && ok;
        };
        metadata::Command reg;
        reg.mutable_register_broker()->set_broker_id(2);
        reg.mutable_register_broker()->set_incarnation_id("inc-2r");
        reg.mutable_register_broker()->set_kafka_host("127.0.0.1");
        reg.mutable_register_broker()->set_kafka_port(9192);
        QVERIFY(apply(reg));
        metadata::Command create;
        auto *topic = create.mutable_create_topic();
        topic->set_name("replicated");
        topic->set_topic_id(std::string(16, '\x09'));
        for (int p = 0; p < 3; ++p) {
            auto *a = topic->add_partitions();
            a->set_partition(p);
            a->add_replicas(p == 1 ? 2 : 1);   // 0 and 2 led here, 1 by broker 2
            a->add_replicas(p == 1 ? 1 : 2);
        }
        QVERIFY(apply(create));

        AdminClient client;
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request describe;
        describe.mutable_describe_partitions()->add_topics("replicated");
        PartitionList partitions = client.call(describe, kTimeoutMs).value().partitions();
        QCOMPARE(partitions.partitions_size(), 3);
        for (const Partition &p : partitions.partitions())
            QVERIFY(!p.has_replication());   // nothing published yet
        QCOMPARE(partitions.partitions(1).leader(), uint64_t(2));
        const int32_t epoch = partitions.partitions(0).leader_epoch();

        std::vector<kafka::LedPartition> led;
        led.push_back({"replicated", 0, epoch, 40, 45, {{2, 30, 15, 12000, false}}, 5, 4096, 2});
        led.push_back({"replicated", 1, partitions.partitions(1).leader_epoch(), 9, 9, {{2, 9, 0, 0, true}}});   // not ours
        led.push_back({"replicated", 2, partitions.partitions(2).leader_epoch() + 1, 7, 7, {}});   // another epoch
        m_replication.publish(led);
        m_maxFollowerLag = 15;

        partitions = client.call(describe, kTimeoutMs).value().partitions();
        const Partition &mine = partitions.partitions(0);
        QVERIFY(mine.has_replication());
        QCOMPARE(mine.replication().leader_epoch(), epoch);
        QCOMPARE(mine.replication().high_watermark(), int64_t(40));
        QCOMPARE(mine.replication().log_end(), int64_t(45));
        QVERIFY(mine.replication().log_size_reported());
        QCOMPARE(mine.replication().log_start(), int64_t(5));
        QCOMPARE(mine.replication().size_bytes(), int64_t(4096));
        QCOMPARE(mine.replication().segments(), 2);
        QCOMPARE(mine.replication().followers_size(), 1);
        const ReplicaProgress &f = mine.replication().followers(0);
        QCOMPARE(f.broker(), uint64_t(2));
        QCOMPARE(f.log_end(), int64_t(30));
        QCOMPARE(f.lag(), int64_t(15));
        QCOMPARE(f.caught_up_age_ms(), int64_t(12000));
        QVERIFY(!f.in_isr());
        QVERIFY(!partitions.partitions(1).has_replication());
        QVERIFY(!partitions.partitions(2).has_replication());

        Request status;
        status.mutable_get_status();
        const StatusSnapshot s = client.call(status, kTimeoutMs).value().status();
        QVERIFY(s.replication_measured());
        QCOMPARE(s.max_follower_lag(), int64_t(15));

        AdminClient stream;
        QVERIFY(stream.connectTo(m_address, kTimeoutMs).isOk());
        Request subscribe;
        subscribe.mutable_subscribe()->set_rate_hz(20);
        QVERIFY(stream.send(subscribe).isOk());
        QVERIFY(stream.receive(kTimeoutMs).isOk());   // the first snapshot: subscribed before the fence
        metadata::Command fence;
        fence.mutable_fence_broker()->set_broker_id(2);
        fence.mutable_fence_broker()->set_incarnation_id("inc-2r");
        QVERIFY(apply(fence));
        std::vector<Event> events;
        for (int i = 0; i < 200 && events.size() < 2; ++i) {
            QCoreApplication::processEvents();
            auto r = stream.receive(kTimeoutMs);
            QVERIFY(r.isOk());
            if (r->has_event() && (r->event().event_kind() == EVENT_KIND_BROKER_FENCED
                                   || r->event().event_kind() == EVENT_KIND_LEADER_ELECTED))
                events.push_back(r->event());
        }
        QCOMPARE(events.size(), size_t(2));
        QCOMPARE(events[0].event_kind(), EVENT_KIND_BROKER_FENCED);
        QCOMPARE(events[0].text(), std::string("broker 2 fenced"));
        QCOMPARE(events[1].event_kind(), EVENT_KIND_LEADER_ELECTED);
        QCOMPARE(events[1].kind(), std::string("leader-elected"));
        QVERIFY2(events[1].text().rfind("broker 2 fenced: 1 leadership moved: replicated-1->1", 0) == 0,
                 events[1].text().c_str());
        partitions = client.call(describe, kTimeoutMs).value().partitions();
        QCOMPARE(partitions.partitions(1).leader(), uint64_t(1));

        m_replication.publish({});
        m_maxFollowerLag = 0;
        metadata::Command cleanup;
        cleanup.mutable_delete_topic()->set_name("replicated");
        QVERIFY(apply(cleanup));
        metadata::Command remove;
        remove.mutable_remove_broker()->set_broker_id(2);
        QVERIFY(apply(remove));
    }

    // DescribeGroups answers from what the coordinator published: every group with no names, the
    // named ones otherwise (one coordinated elsewhere left out, not refused), in Kafka's state
    // names, with members' assignments, and the lag where the node knew the high watermark.
    void describeGroupsFromTheCoordinatorsView()
    {
        AdminClient client;
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request describe;
        describe.mutable_describe_groups();
        auto none = client.call(describe, kTimeoutMs);
        QVERIFY(none.isOk());
        QCOMPARE(none->error_code(), ERROR_CODE_NONE);
        QVERIFY(none->has_groups());
        QCOMPARE(none->groups().groups_size(), 0);

        using namespace kafka::group;
        GroupDescription billing{"billing", GroupState::CompletingRebalance, "consumer", "range", 3, {}, {}};
        billing.members.push_back({"m-1", "static-1", "client-a", "/127.0.0.1", {{"orders", {0, 2}}, {"audit", {1}}}});
        billing.offsets.push_back({"orders", 0, 40, 100});
        billing.offsets.push_back({"orders", 2, 7, std::nullopt});
        billing.offsets.push_back({"orders", 3, 120, 100});   // a follower's watermark behind the commit
        GroupDescription simple{"simple", GroupState::Empty, "", "", 0, {}, {{"audit", 0, 5, 5}}};
        m_groups.publish({billing, simple});

        auto all = client.call(describe, kTimeoutMs);
        QVERIFY(all.isOk());
        QCOMPARE(all->groups().groups_size(), 2);
        const Group &b = all->groups().groups(0);
        QCOMPARE(b.group_id(), std::string("billing"));
        QCOMPARE(b.state(), std::string("CompletingRebalance"));
        QCOMPARE(b.protocol_type(), std::string("consumer"));
        QCOMPARE(b.protocol(), std::string("range"));
        QCOMPARE(b.generation(), 3);
        QCOMPARE(b.coordinator(), uint64_t(1));
        QCOMPARE(b.members_size(), 1);
        QCOMPARE(b.members(0).member_id(), std::string("m-1"));
        QCOMPARE(b.members(0).group_instance_id(), std::string("static-1"));
        QCOMPARE(b.members(0).client_id(), std::string("client-a"));
        QCOMPARE(b.members(0).client_host(), std::string("/127.0.0.1"));
        QCOMPARE(b.members(0).assignment_size(), 2);
        QCOMPARE(b.members(0).assignment(0).topic(), std::string("orders"));
        QCOMPARE(b.members(0).assignment(0).partitions_size(), 2);
        QCOMPARE(b.members(0).assignment(0).partitions(1), 2);
        QCOMPARE(b.members(0).assignment(1).topic(), std::string("audit"));
        QCOMPARE(b.offsets_size(), 3);
        QVERIFY(b.offsets(0).lag_known());
        QCOMPARE(b.offsets(0).committed(), int64_t(40));
        QCOMPARE(b.offsets(0).high_watermark(), int64_t(100));
        QCOMPARE(b.offsets(0).lag(), int64_t(60));
        QVERIFY(!b.offsets(1).lag_known());
        QCOMPARE(b.offsets(1).partition(), 2);
        QCOMPARE(b.offsets(2).lag(), int64_t(0));
        QCOMPARE(b.total_lag(), int64_t(60));
        QCOMPARE(all->groups().groups(1).state(), std::string("Empty"));
        QCOMPARE(all->groups().groups(1).protocol_type(), std::string());

        describe.mutable_describe_groups()->add_groups("simple");
        describe.mutable_describe_groups()->add_groups("elsewhere");
        auto named = client.call(describe, kTimeoutMs);
        QVERIFY(named.isOk());
        QCOMPARE(named->error_code(), ERROR_CODE_NONE);
        QCOMPARE(named->groups().groups_size(), 1);
        QCOMPARE(named->groups().groups(0).group_id(), std::string("simple"));
        QCOMPARE(named->groups().groups(0).offsets(0).lag(), int64_t(0));
        m_groups.publish({});
    }

    // What the event stream carries for partition changes, one event per command however many
    // partitions it changed: an ISR change asked by a leader names the partition and both ISRs;
    // an election names the first three moves and counts the rest; a command that changed no
    // partition says nothing.
    void partitionEventsOnePerCommand()
    {
        auto moved = [](const char *topic, int32_t p, uint64_t from, uint64_t to) {
            metadata::ChangedPartition c;
            c.topic = topic;
            c.partition = p;
            c.oldLeader = from;
            c.newLeader = to;
            c.oldIsr = {from, to};
            c.newIsr = {from, to};
            return c;
        };
        metadata::Command alter;
        alter.mutable_alter_partition()->set_broker_id(1);
        metadata::ApplyResult shrunk;
        metadata::ChangedPartition isr = moved("t", 0, 1, 1);
        isr.oldIsr = {1, 2, 3};
        isr.newIsr = {1, 2};
        shrunk.changed = {isr};
        auto events = cluster::narrateApplied(alter, shrunk, {});
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].kind, EVENT_KIND_ISR_CHANGED);
        QCOMPARE(events[0].text, QStringLiteral("t-0: ISR [1,2,3] -> [1,2], asked by leader 1"));
        QVERIFY(cluster::narrateApplied(alter, metadata::ApplyResult{}, {}).empty());   // the ISR was already so

        metadata::Command elect;
        elect.mutable_elect_leaders()->set_type(metadata::ELECTION_PREFERRED);
        metadata::ApplyResult elected;
        for (int32_t p = 0; p < 5; ++p)
            elected.changed.push_back(moved("t", p, 2, 1));
        events = cluster::narrateApplied(elect, elected, {});
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].kind, EVENT_KIND_LEADER_ELECTED);
        QCOMPARE(events[0].text, QStringLiteral("preferred leader election: 5 leaderships moved: t-0->1, t-1->1, t-2->1 "
                                                "and 2 more"));
        // The moves themselves, for readers that need more than the text (the dashboard's card of
        // a node that went away names the partitions it led).
        QCOMPARE(events[0].leaderMoves.moves_size(), 5);
        QCOMPARE(events[0].leaderMoves.moves(4).topic(), std::string("t"));
        QCOMPARE(events[0].leaderMoves.moves(4).partition(), 4);
        QCOMPARE(events[0].leaderMoves.moves(4).from(), uint64_t(2));
        QCOMPARE(events[0].leaderMoves.moves(4).to(), uint64_t(1));
        QCOMPARE(events[0].leaderMoves.left_out(), 0u);
        metadata::ApplyResult many;
        for (int32_t p = 0; p < kMaxLeaderMovesPerEvent + 7; ++p)
            many.changed.push_back(moved("t", p, 2, 1));
        events = cluster::narrateApplied(elect, many, {});
        QCOMPARE(events[0].leaderMoves.moves_size(), kMaxLeaderMovesPerEvent);   // bounded
        QCOMPARE(events[0].leaderMoves.left_out(), 7u);
        QVERIFY(cluster::narrateApplied(elect, metadata::ApplyResult{}, {}).empty());

        metadata::Command shutdown;
        shutdown.mutable_controlled_shutdown()->set_broker_id(2);
        events = cluster::narrateApplied(shutdown, elected, {});
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].kind, EVENT_KIND_LEADER_ELECTED);
        QVERIFY2(events[0].text.startsWith(QStringLiteral("broker 2 in controlled shutdown: 5 leaderships moved")),
                 qPrintable(events[0].text));
    }

    // Topic changes are events too (a dashboard's history shows them).
    void topicEvents()
    {
        metadata::Command create;
        create.mutable_create_topic()->set_name("orders");
        for (int32_t p = 0; p < 2; ++p) {
            auto *a = create.mutable_create_topic()->add_partitions();
            a->set_partition(p);
            for (uint64_t r : {1, 2, 3})
                a->add_replicas(r);
        }
        auto events = cluster::narrateApplied(create, metadata::ApplyResult{}, {});
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].kind, EVENT_KIND_TOPIC_CREATED);
        QCOMPARE(events[0].text, QStringLiteral("topic 'orders' created: 2 partitions, replication factor 3"));
        QCOMPARE(eventKindName(events[0].kind), "topic-created");

        metadata::Command grow;
        grow.mutable_create_partitions()->set_name("orders");
        for (int32_t p : {2, 3, 4})
            grow.mutable_create_partitions()->add_new_partitions()->set_partition(p);
        events = cluster::narrateApplied(grow, metadata::ApplyResult{}, {});
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].kind, EVENT_KIND_PARTITIONS_CREATED);
        QCOMPARE(events[0].text, QStringLiteral("topic 'orders' grew from 2 to 5 partitions"));

        metadata::Command remove;
        remove.mutable_delete_topic()->set_name("orders");
        events = cluster::narrateApplied(remove, metadata::ApplyResult{}, {});
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].kind, EVENT_KIND_TOPIC_DELETED);
        QCOMPARE(events[0].text, QStringLiteral("topic 'orders' deleted"));
        metadata::ApplyResult refused;
        refused.status = notFound("topic 'orders' does not exist");
        QVERIFY(cluster::narrateApplied(remove, refused, {}).empty());   // nothing changed
    }

    void membershipRequestsCheckedAgainstTheConfiguration()
    {
        AdminClient client("s3cret");
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request transfer;
        transfer.mutable_transfer_leader()->set_to(5);
        auto r = client.call(transfer, kTimeoutMs);
        QCOMPARE(r->error_code(), ERROR_CODE_INVALID_REQUEST);
        QCOMPARE(r->error_message(), std::string("node 5 is not a voter (voters: 1)"));
        Request remove;
        remove.mutable_remove_node()->set_id(1);
        QVERIFY(client.call(remove, kTimeoutMs)->error_message().find("only voter") != std::string::npos);
        Request add;
        add.mutable_add_node()->set_id(1);
        add.mutable_add_node()->set_raft_address("127.0.0.1:1");
        QCOMPARE(client.call(add, kTimeoutMs)->error_code(), ERROR_CODE_ALREADY_EXISTS);

        Request raft;
        raft.mutable_describe_raft();
        auto d = client.call(raft, kTimeoutMs).value().raft();
        QCOMPARE(d.role(), std::string("leader"));
        QCOMPARE(d.peers_size(), 1);
        QCOMPARE(d.peers(0).id(), uint64_t(1));
        QCOMPARE(d.peers(0).link_state(), std::string("self"));
        QCOMPARE(d.peers(0).state(), std::string("replicate"));
        QCOMPARE(d.leader_admin_address(), std::string("127.0.0.1:9094"));
    }

    void subscribeStreamsSnapshotsAndEvents()
    {
        AdminClient client;
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request tooFast;
        tooFast.mutable_subscribe()->set_rate_hz(21);
        QCOMPARE(client.call(tooFast, kTimeoutMs)->error_code(), ERROR_CODE_INVALID_REQUEST);

        Request subscribe;
        subscribe.mutable_subscribe()->set_rate_hz(20);
        const uint64_t id = client.send(subscribe).value();
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 5; ++i) {
            auto r = client.receive(kTimeoutMs);
            QVERIFY(r.isOk());
            QCOMPARE(r->request_id(), id);
            QVERIFY(r->has_status());
        }
        QVERIFY2(timer.elapsed() < 1000, "5 snapshots at 20 Hz take about 200 ms");

        // A second broker registers: the controller's event reaches the stream.
        metadata::Command command;
        command.mutable_register_broker()->set_broker_id(2);
        command.mutable_register_broker()->set_incarnation_id("inc-2");
        m_controller->submit(command, this, [](metadata::ApplyResult) {});
        bool sawEvent = false;
        for (int i = 0; i < 100 && !sawEvent; ++i) {
            QCoreApplication::processEvents();
            auto r = client.receive(kTimeoutMs);
            QVERIFY(r.isOk());
            if (r->has_event() && r->event().event_kind() == EVENT_KIND_BROKER_REGISTERED) {
                sawEvent = true;
                QCOMPARE(r->event().kind(), std::string("broker-registered"));   // its name, for people
                QCOMPARE(r->request_id(), id);
                QCOMPARE(r->event().node_id(), uint64_t(1));
                QVERIFY(r->event().time_unix_ms() > kStartMs);
                QVERIFY(r->event().text().find('2') != std::string::npos);
            }
        }
        QVERIFY(sawEvent);
    }

    // A subscriber that comes later is sent what happened before: the ring first, then the live
    // events, numbered so that nothing is missed or sent twice; GetEvents answers the same ring.
    void subscribeWithHistorySendsRecentEventsFirst()
    {
        // Something happens while nobody subscribes.
        metadata::Command registration;
        registration.mutable_register_broker()->set_broker_id(5);
        registration.mutable_register_broker()->set_incarnation_id("inc-5");
        bool applied = false;
        m_controller->submit(registration, this, [&](metadata::ApplyResult r) { applied = r.status.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(applied, kTimeoutMs);

        AdminClient client;
        QVERIFY(client.connectTo(m_address, kTimeoutMs).isOk());
        Request get;
        get.mutable_get_events();
        EventHistory ring;
        const auto holds = [](const EventHistory &h, const std::string &text) {
            return std::any_of(h.events().begin(), h.events().end(), [&](const Event &e) { return e.text() == text; });
        };
        // The event reaches the admin thread queued, soon after the apply.
        QTRY_VERIFY_WITH_TIMEOUT(holds(ring = client.call(get, kTimeoutMs).value().history(), "broker 5 registered"), kTimeoutMs);
        QCOMPARE(ring.capacity(), uint32_t(kEventHistoryCapacity));
        for (int i = 0; i < ring.events_size(); ++i) {
            const Event &e = ring.events(i);
            QCOMPARE(e.incarnation_id(), std::string("inc-1"));
            QCOMPARE(e.node_id(), uint64_t(1));
            QVERIFY(e.time_unix_ms() > kStartMs);
            if (i > 0)
                QVERIFY(e.sequence() > ring.events(i - 1).sequence());   // oldest first
        }

        Request subscribe;
        subscribe.mutable_subscribe()->set_rate_hz(5);
        subscribe.mutable_subscribe()->set_with_history(true);
        const uint64_t id = client.send(subscribe).value();
        auto first = client.receive(kTimeoutMs);
        QVERIFY(first.isOk());
        QCOMPARE(first->request_id(), id);
        QVERIFY2(first->has_history(), "the history comes before the first snapshot");
        QVERIFY(first->history().events_size() >= ring.events_size());
        const uint64_t lastSequence = first->history().events(first->history().events_size() - 1).sequence();
        auto second = client.receive(kTimeoutMs);
        QVERIFY(second.isOk() && second->has_status());

        metadata::Command command;
        command.mutable_register_broker()->set_broker_id(4);
        command.mutable_register_broker()->set_incarnation_id("inc-4");
        m_controller->submit(command, this, [](metadata::ApplyResult) {});
        bool sawLive = false;
        for (int i = 0; i < 100 && !sawLive; ++i) {
            QCoreApplication::processEvents();
            auto r = client.receive(kTimeoutMs);
            QVERIFY(r.isOk());
            if (r->has_event() && r->event().text() == "broker 4 registered") {
                sawLive = true;
                QCOMPARE(r->event().sequence(), lastSequence + 1);   // the next after the history
            }
        }
        QVERIFY(sawLive);

        // Without with_history (an older dashboard), a Subscribe starts with a snapshot as before.
        AdminClient old;
        QVERIFY(old.connectTo(m_address, kTimeoutMs).isOk());
        Request plain;
        plain.mutable_subscribe()->set_rate_hz(5);
        QVERIFY(old.send(plain).isOk());
        auto r = old.receive(kTimeoutMs);
        QVERIFY(r.isOk() && r->has_status());
    }

    void eventRingIsBounded()
    {
        EventRing ring("inc-x", 3);
        for (int i = 1; i <= 5; ++i) {
            Event e;
            e.set_text("event " + std::to_string(i));
            QCOMPARE(ring.record(e).sequence(), uint64_t(i));
        }
        const EventHistory h = ring.history();
        QCOMPARE(h.events_size(), 3);
        QCOMPARE(h.events(0).text(), std::string("event 3"));
        QCOMPARE(h.events(2).sequence(), uint64_t(5));
        QCOMPARE(h.dropped(), uint64_t(2));
        QCOMPARE(h.capacity(), 3u);
    }

    void malformedFrameClosesOnlyThatConnection()
    {
        AdminClient healthy;
        QVERIFY(healthy.connectTo(m_address, kTimeoutMs).isOk());
        Request status;
        status.mutable_get_status();
        QVERIFY(healthy.call(status, kTimeoutMs).isOk());

        const quint16 port = quint16(std::stoi(m_address.substr(10)));
        const QByteArray garbage[] = {
            QByteArray("\x00\x00\x00\x05\xff\xff\xff\xff\xff", 9),   // not a protobuf
            QByteArray("\x7f\xff\xff\xff", 4),                       // 2 GiB announced
            QByteArray("\xff\xff\xff\xfe", 4),                       // negative length
        };
        for (const QByteArray &bytes : garbage) {
            QTcpSocket bad;
            bad.connectToHost(QStringLiteral("127.0.0.1"), port);
            QVERIFY(bad.waitForConnected(kTimeoutMs));
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression("closing admin connection from 127\\.0\\.0\\.1:\\d+: admin frame"));
            bad.write(bytes);
            QVERIFY(bad.waitForBytesWritten(kTimeoutMs));
            QTRY_COMPARE_WITH_TIMEOUT(bad.state(), QAbstractSocket::UnconnectedState, kTimeoutMs);
            auto r = healthy.call(status, kTimeoutMs);
            QVERIFY(r.isOk());
            QCOMPARE(r->error_code(), ERROR_CODE_NONE);
        }
    }

    void usersSetIsHashedOffTheAdminThreadAndProposedInOrder()
    {
        // The SCRAM worker held busy: two users set of one user wait behind it, while the admin
        // thread answers the status requests sent after them on the same connection.
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        std::atomic<bool> holding{false};
        scramUserWorker().start([released, &holding]() {
            holding = true;
            released.wait();
        });
        QTRY_VERIFY_WITH_TIMEOUT(holding, kTimeoutMs);

        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(std::stoi(m_address.substr(10))));
        QVERIFY(socket.waitForConnected(kTimeoutMs));
        const auto request = [](uint64_t id) {
            Request r;
            r.set_protocol_version(kProtocolVersion);
            r.set_request_id(id);
            r.set_token("s3cret");
            return r;
        };
        AdminFrameDecoder decoder(kMaxResponseFrameBytes);   // one for the connection: answers may come back to back
        const auto next = [&]() {
            Response response;
            for (;;) {
                auto r = decoder.next(response);
                if (!r.isOk() || r.value())
                    return response;
                if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(kTimeoutMs))
                    return Response();
                decoder.feed(socket.readAll());
            }
        };
        const auto setCarol = [&](uint64_t id, int32_t iterations) {
            Request r = request(id);
            r.mutable_set_scram_user()->set_user("carol");
            r.mutable_set_scram_user()->set_password("carol-secret");
            r.mutable_set_scram_user()->set_iterations(iterations);
            return r;
        };
        socket.write(encodeAdminFrame(setCarol(1, 16384)));
        socket.write(encodeAdminFrame(setCarol(2, 8192)));
        for (uint64_t id : {3, 4}) {
            Request status = request(id);
            status.mutable_get_status();
            socket.write(encodeAdminFrame(status));
            const Response answered = next();
            QCOMPARE(answered.request_id(), id);
            QVERIFY(answered.has_status());
        }

        release.set_value();
        const Response first = next();
        QCOMPARE(first.request_id(), uint64_t(1));
        QCOMPARE(first.error_code(), ERROR_CODE_NONE);
        QCOMPARE(first.done().detail(), std::string("user 'carol': SCRAM-SHA-256, SCRAM-SHA-512 set (16384 iterations)"));
        const Response second = next();
        QCOMPARE(second.request_id(), uint64_t(2));
        QCOMPARE(second.done().detail(), std::string("user 'carol': SCRAM-SHA-256, SCRAM-SHA-512 set (8192 iterations)"));
        // Proposed in the order asked: the second one's iterations are carol's.
        Request list = request(5);
        list.mutable_list_scram_users();
        socket.write(encodeAdminFrame(list));
        const Response users = next();
        QCOMPARE(users.scram_users().users_size(), 1);
        for (const auto &credential : users.scram_users().users(0).credentials())
            QCOMPARE(credential.iterations(), 8192);
    }

private:
    static Response readOne(QTcpSocket &socket)
    {
        AdminFrameDecoder decoder(kMaxResponseFrameBytes);
        Response response;
        for (int i = 0; i < 1000; ++i) {
            auto r = decoder.next(response);
            if (!r.isOk())
                break;
            if (r.value())
                return response;
            if (socket.bytesAvailable() == 0)
                socket.waitForReadyRead(kTimeoutMs);
            decoder.feed(socket.read(7));   // a few bytes at a time: the decoder keeps what is left
        }
        qWarning("no response read");
        return {};
    }

    QTemporaryDir m_dir;
    QThread m_raftThread;
    QThread m_adminThread;
    cluster::RaftController *m_controller = nullptr;
    AdminServer *m_server = nullptr;
    std::string m_address;
    std::atomic<const char *> m_state{"ready"};
    metrics::Histogram m_logFsync;   // what KafkaMetrics::logFsyncMicros is in skiffd
    kafka::ReplicationView m_replication;        // KafkaMetrics::replication
    std::atomic<int64_t> m_maxFollowerLag{0};    // KafkaMetrics::maxFollowerLag
    kafka::PublishedView<kafka::group::GroupDescription> m_groups{"GroupsView::mutex"};   // KafkaMetrics::groups
};

QTEST_GUILESS_MAIN(AdminServerTest)
#include "AdminServerTest.moc"
