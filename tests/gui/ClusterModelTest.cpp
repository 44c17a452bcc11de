// The dashboard's models driven by fake admin servers speaking the real protocol: the nodes
// table, discovery, disagreement, the alert rules (term churn, stall, lock-order inversion,
// fenced brokers, partitions), reconnection, export and bounded history.
#include "FakeAdminServer.h"

#include "models/AlertsModel.h"
#include "models/ChartSeries.h"
#include "models/BrokersModel.h"
#include "models/ChartDataExporter.h"
#include "models/ClusterModel.h"
#include "models/EventsModel.h"
#include "models/NodesModel.h"
#include "models/PartitionsModel.h"
#include "net/ClusterClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace skiff;
using namespace skiff::gui;
using skiff::gui::test::FakeAdminServer;
using skiff::gui::test::healthySnapshot;

namespace {

ClusterClient::Options fastOptions(bool discover = false)
{
    ClusterClient::Options o;
    o.discover = discover;
    o.partitionsPollMs = 200;
    o.connection.rateHz = 10;
    o.connection.initialBackoffMs = 50;
    o.connection.maxBackoffMs = 200;
    o.connection.connectTimeoutMs = 1000;
    return o;
}

bool hasAlert(const ClusterModel &m, const QString &needle)
{
    for (const Alert &a : m.alerts())
        if (a.text.contains(needle))
            return true;
    return false;
}

QString alertLines(const ClusterModel &m)
{
    QStringList lines;
    for (const Alert &a : m.alerts())
        lines << a.source + QStringLiteral(": ") + a.text;
    return lines.join(QLatin1Char('\n'));
}

int streamingNodes(const ClusterModel &m)
{
    int n = 0;
    for (const NodeEntry &e : m.nodes())
        n += e.streaming() ? 1 : 0;
    return n;
}

admin::PartitionList twoPartitions()
{
    admin::PartitionList list;
    for (int p = 0; p < 2; ++p) {
        admin::Partition *part = list.add_partitions();
        part->set_topic("orders");
        part->set_partition(p);
        part->set_leader(uint64_t(p + 1));
        part->set_assigned_leader(uint64_t(p + 1));
        part->set_state(admin::PARTITION_STATE_OK);
        part->add_replicas(uint64_t(p + 1));
        part->add_isr(uint64_t(p + 1));
    }
    return list;
}

} // namespace

class ClusterModelTest : public QObject {
    Q_OBJECT

    struct Cluster {
        FakeAdminServer servers[3];
        std::vector<QString> addresses;
        void start(uint64_t leader = 2, uint64_t term = 7)
        {
            for (auto &s : servers)
                QVERIFY(s.listen());
            for (auto &s : servers)
                addresses.push_back(s.address());
            for (int i = 0; i < 3; ++i) {
                servers[i].status() = healthySnapshot(uint64_t(i + 1), leader, term, addresses);
                servers[i].partitions() = twoPartitions();
            }
        }
        QStringList list() const { return QStringList(addresses.begin(), addresses.end()); }
    };

private slots:
    // A real node reports a link each way per peer; the column counts peers, not links.
    void peerLinksCountPeersByTheirOutboundLink()
    {
        Cluster c;
        c.start();
        admin::StatusSnapshot &s = c.servers[0].status();
        s.clear_links();
        const auto link = [&](uint64_t peer, const char *direction, const char *state) {
            admin::PeerLink *l = s.add_links();
            l->set_peer(peer);
            l->set_address("127.0.0.1:" + std::to_string(9100 + peer));
            l->set_direction(direction);
            l->set_state(state);
        };
        link(2, "outbound", "up");
        link(2, "inbound", "up");
        link(3, "outbound", "connecting");   // node 3 dials us, but we cannot reach it
        link(3, "inbound", "up");
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        NodesModel nodes(&model);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        QCOMPARE(nodes.text(0, NodesModel::Links), QStringLiteral("1/2 peers up"));
        QCOMPARE(nodes.text(1, NodesModel::Links), QStringLiteral("2/2 peers up"));
        const QString why = nodes.data(nodes.index(0, NodesModel::Links), Qt::ToolTipRole).toString();
        QVERIFY2(why.contains(QStringLiteral("node 3 127.0.0.1:9103 (outbound) connecting")), qPrintable(why));
    }

    void nodesTableFilledAndHealthy()
    {
        Cluster c;
        c.start();
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        NodesModel nodes(&model);
        PartitionsModel topics(&model);
        BrokersModel brokers(&model);
        QSignalSpy full(&model, &ClusterModel::fullyUpdated);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        QTRY_VERIFY(model.hasPartitions());
        QTRY_COMPARE(full.count(), 1);
        QCOMPARE(nodes.rowCount(), 3);
        QCOMPARE(nodes.text(0, NodesModel::Node), QStringLiteral("1"));
        QCOMPARE(nodes.text(1, NodesModel::Role), QStringLiteral("leader"));
        QCOMPARE(nodes.text(0, NodesModel::Leader), QStringLiteral("2"));
        QCOMPARE(nodes.text(0, NodesModel::Term), QStringLiteral("7"));
        QCOMPARE(nodes.text(0, NodesModel::Lag), QStringLiteral("0"));
        QCOMPARE(nodes.text(0, NodesModel::Ready), QStringLiteral("ready"));
        QCOMPARE(nodes.text(0, NodesModel::Startup), QStringLiteral("ready"));
        QCOMPARE(nodes.text(0, NodesModel::Version), QStringLiteral("0.1.0 (abcdef123456)"));
        QCOMPARE(nodes.text(0, NodesModel::Uptime), QStringLiteral("1h 02m"));
        QCOMPARE(nodes.text(0, NodesModel::Links), QStringLiteral("2/2 peers up"));
        QCOMPARE(nodes.flaggedRows(), 0);
        QCOMPARE(topics.rowCount(), 2);
        QCOMPARE(topics.flaggedRows(), 0);
        QCOMPARE(brokers.rowCount(), 9);   // 3 brokers as each of 3 nodes sees them
        QCOMPARE(brokers.flaggedRows(), 0);
        QVERIFY2(model.healthy(), qPrintable(alertLines(model)));
        QCOMPARE(model.healthSummary(), QStringLiteral("healthy"));
        QCOMPARE(model.leaderId(), 2u);
    }

    void oneAddressDiscoversTheOthers()
    {
        Cluster c;
        c.start();
        ClusterClient client(fastOptions(true));
        ClusterModel model;
        model.attach(&client);
        client.connectTo({c.addresses[0]});
        QTRY_COMPARE(streamingNodes(model), 3);
        QCOMPARE(model.nodes().size(), size_t(3));
        QVERIFY(!model.nodes()[0].discovered);
        QVERIFY(model.nodes()[1].discovered);
        QVERIFY(model.nodes()[2].discovered);
    }

    void disagreementOnLeaderAndTermIsFlagged()
    {
        Cluster c;
        c.start();
        c.servers[2].status() = healthySnapshot(3, 3, 8, c.addresses);   // node 3 thinks it leads, in term 8
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        NodesModel nodes(&model);
        AlertsModel alerts(&model);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        QTRY_VERIFY2(hasAlert(model, QStringLiteral("nodes disagree on the leader")), qPrintable(alertLines(model)));
        QVERIFY2(hasAlert(model, QStringLiteral("nodes disagree on the term")), qPrintable(alertLines(model)));
        QVERIFY(!model.healthy());
        QVERIFY(model.healthSummary().contains(QStringLiteral("disagree")));
        QCOMPARE(model.leaderId(), 2u);
        QCOMPARE(nodes.data(nodes.index(2, 0), RowTableModel::FlagRole).toInt(), int(RowTableModel::Flag::Critical));
        QVERIFY(nodes.data(nodes.index(2, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("follows 3")));
        QVERIFY(nodes.data(nodes.index(0, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("in term 7")));
        QVERIFY(alerts.rowCount() >= 2);

        // Agreement again: the alerts go.
        c.servers[2].status() = healthySnapshot(3, 2, 8, c.addresses);
        c.servers[0].status().set_term(8);
        c.servers[1].status().set_term(8);
        for (auto &s : c.servers)
            s.pushStatus();
        QTRY_VERIFY2(!hasAlert(model, QStringLiteral("disagree")), qPrintable(alertLines(model)));
    }

    void noLeaderIsAnAlert()
    {
        FakeAdminServer s;
        QVERIFY(s.listen());
        s.status() = healthySnapshot(1, 0, 3);
        s.status().set_role("candidate");
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        client.connectTo({s.address()});
        QTRY_VERIFY2(hasAlert(model, QStringLiteral("no leader")), qPrintable(alertLines(model)));
    }

    void termChurnRaisesAnAlert()
    {
        FakeAdminServer s;
        QVERIFY(s.listen());
        s.status() = healthySnapshot(1, 1, 10);
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        client.connectTo({s.address()});
        QTRY_COMPARE(streamingNodes(model), 1);
        QVERIFY(!hasAlert(model, QStringLiteral("term churn")));
        for (uint64_t term = 11; term <= 13; ++term) {
            s.status().set_term(term);
            s.pushStatus();
            QTRY_COMPARE(model.nodes()[0].latest.term(), term);
        }
        QVERIFY2(hasAlert(model, QStringLiteral("term churn: 3 term changes within a minute")), qPrintable(alertLines(model)));

        // A minute later with no new term the churn alert is gone.
        const qint64 later = QDateTime::currentMSecsSinceEpoch() + 61'000;
        model.setClock([later] { return later; });
        s.pushStatus();
        QTRY_VERIFY2(!hasAlert(model, QStringLiteral("term churn")), qPrintable(alertLines(model)));
    }

    void stallAndLockOrderInversionEventsRaiseAlerts()
    {
        FakeAdminServer s;
        QVERIFY(s.listen());
        s.status() = healthySnapshot(1, 1, 2);
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        EventsModel events(&model);
        client.connectTo({s.address()});
        QTRY_COMPARE(streamingNodes(model), 1);
        s.pushEvent(admin::EVENT_KIND_LEADER, QStringLiteral("leader is node 1 in term 2"));
        s.pushEvent(admin::EVENT_KIND_WATCHDOG_STALL, QStringLiteral("raft loop silent for 2300 ms waiting on metadata.image held by kafka"));
        s.pushEvent(admin::EVENT_KIND_LOCK_ORDER_INVERSION, QStringLiteral("log.partition then metadata.image, first seen the other way"));
        QTRY_COMPARE(events.rowCount(), 3);
        QVERIFY2(hasAlert(model, QStringLiteral("stall: raft loop silent")), qPrintable(alertLines(model)));
        QVERIFY2(hasAlert(model, QStringLiteral("lock-order inversion: log.partition")), qPrintable(alertLines(model)));
        QCOMPARE(events.text(0, EventsModel::Kind), QStringLiteral("lock-order-inversion"));   // newest first
        QCOMPARE(events.flaggedRows(), 2);
        QCOMPARE(model.alerts().size(), size_t(2));
        events.setKindFilter(QStringLiteral("leader"));
        QCOMPARE(events.rowCount(), 1);
        events.setKindFilter(QString());
        events.setNodeFilter(2);
        QCOMPARE(events.rowCount(), 0);
        events.setNodeFilter(1);
        QCOMPARE(events.rowCount(), 3);
        QVERIFY(events.kinds().contains(QStringLiteral("watchdog-stall")));
    }

    // The dashboard switches on the kind the node set, not on words in its name: a kind whose
    // name mentions a stall raises nothing, and one without a known name still alerts.
    void eventAlertsFollowTheKindNotItsName()
    {
        ClusterModel model;
        model.setClock([] { return qint64(1'000'000); });
        model.addNode(QStringLiteral("x:1"), false);
        model.applyStatus(QStringLiteral("x:1"), healthySnapshot(1, 1, 3));
        model.applyState(QStringLiteral("x:1"), NodeConnection::State::Streaming, {});
        auto event = [](admin::EventKind kind, const char *name, const char *text) {
            admin::Event e;
            e.set_event_kind(kind);
            e.set_kind(name);
            e.set_text(text);
            e.set_time_unix_ms(999'000);
            e.set_node_id(1);
            return e;
        };
        model.applyEvent(QStringLiteral("x:1"), event(admin::EVENT_KIND_LINK_DOWN, "stall-inversion", "link to node 2 is down"));
        model.applyEvent(QStringLiteral("x:1"), event(admin::EVENT_KIND_UNSPECIFIED, "watchdog-stall", "from an older node"));
        QVERIFY2(model.healthy(), qPrintable(alertLines(model)));
        model.applyEvent(QStringLiteral("x:1"), event(admin::EVENT_KIND_SELF_DEADLOCK, "", "metadata.image taken twice by raft"));
        QCOMPARE(model.healthSummary(), QStringLiteral("node 1: lock-order inversion: metadata.image taken twice by raft"));
        model.applyEvent(QStringLiteral("x:1"), event(admin::EVENT_KIND_WATCHDOG_STALL, "", "kafka loop silent for 2100 ms"));
        QVERIFY2(hasAlert(model, QStringLiteral("stall: kafka loop silent for 2100 ms")), qPrintable(alertLines(model)));
        EventsModel events(&model);
        QCOMPARE(events.rowCount(), 4);
        QCOMPARE(events.flaggedRows(), 3);   // the two alerts and the link going down
    }

    void fencedAndMismatchedBrokersAndBadPartitions()
    {
        Cluster c;
        c.start();
        // Node 2 (the leader) has fenced broker 3; node 1 has not applied that yet.
        for (int i : {1, 2})
            c.servers[i].status().mutable_brokers(2)->set_fenced(true);
        admin::PartitionList bad = twoPartitions();
        bad.mutable_partitions(0)->set_leader(0);   // its leader, broker 1, is fenced: the node says offline
        bad.mutable_partitions(0)->set_state(admin::PARTITION_STATE_OFFLINE);
        bad.mutable_partitions(0)->add_offline_replicas(1);
        bad.mutable_partitions(1)->add_replicas(3);
        admin::Partition *offline = bad.add_partitions();   // its leader cannot open the log
        offline->set_topic("orders");
        offline->set_partition(2);
        offline->set_assigned_leader(1);
        offline->set_state(admin::PARTITION_STATE_STORAGE_OFFLINE);
        offline->add_replicas(1);
        offline->add_isr(1);
        offline->add_offline_replicas(1);
        c.servers[0].partitions() = bad;
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        BrokersModel brokers(&model);
        PartitionsModel topics(&model);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        QTRY_VERIFY(model.hasPartitions());
        QVERIFY2(hasAlert(model, QStringLiteral("fenced")), qPrintable(alertLines(model)));
        QVERIFY2(hasAlert(model, QStringLiteral("nodes see it differently")), qPrintable(alertLines(model)));
        QVERIFY2(hasAlert(model, QStringLiteral("2 partitions offline (first: orders-0)")), qPrintable(alertLines(model)));
        QVERIFY2(hasAlert(model, QStringLiteral("1 partition under-replicated (first: orders-1)")), qPrintable(alertLines(model)));
        QCOMPARE(brokers.flaggedRows(), 3);   // broker 3 as each node sees it
        QVERIFY(brokers.text(6, BrokersModel::Mismatch).contains(QStringLiteral("fenced")));   // broker 3 seen by node 1
        QCOMPARE(topics.text(0, PartitionsModel::State), QStringLiteral("offline"));
        QCOMPARE(topics.text(0, PartitionsModel::Leader), QStringLiteral("none"));
        QCOMPARE(topics.text(1, PartitionsModel::State), QStringLiteral("under-replicated"));
        QCOMPARE(topics.text(2, PartitionsModel::State), QStringLiteral("storage-offline"));
        QCOMPARE(topics.text(2, PartitionsModel::Leader), QStringLiteral("none"));
    }

    // A partition whose leader's broker is fenced, as a node reports it: the health line and
    // the Alerts tab say it is offline, the Topics tab shows no leader. Nothing is derived from
    // the fenced broker here; the state is the node's.
    void offlinePartitionsInTheHealthLineAndAlerts()
    {
        ClusterModel model;
        model.setClock([] { return qint64(1'000'000); });
        AlertsModel alerts(&model);
        PartitionsModel topics(&model);
        model.addNode(QStringLiteral("x:1"), false);
        model.applyStatus(QStringLiteral("x:1"), healthySnapshot(1, 1, 3));
        model.applyState(QStringLiteral("x:1"), NodeConnection::State::Streaming, {});
        model.applyPartitions(twoPartitions());
        QVERIFY2(model.healthy(), qPrintable(alertLines(model)));

        admin::PartitionList list = twoPartitions();
        admin::Partition *p = list.mutable_partitions(1);
        p->set_leader(0);
        p->set_state(admin::PARTITION_STATE_OFFLINE);
        p->add_offline_replicas(2);
        model.applyPartitions(list);
        QCOMPARE(model.healthSummary(), QStringLiteral("partitions: 1 partition offline (first: orders-1)"));
        alerts.flush();
        QCOMPARE(alerts.rowCount(), 1);
        QCOMPARE(alerts.text(0, AlertsModel::Severity), QStringLiteral("critical"));
        QCOMPARE(alerts.text(0, AlertsModel::Text), QStringLiteral("1 partition offline (first: orders-1)"));
        topics.flush();
        QCOMPARE(topics.text(1, PartitionsModel::Leader), QStringLiteral("none"));
        QCOMPARE(topics.text(1, PartitionsModel::State), QStringLiteral("offline"));
        QVERIFY2(topics.row(1).reason.contains(QStringLiteral("broker 2, is fenced or gone")), qPrintable(topics.row(1).reason));

        list.mutable_partitions(0)->set_leader(0);
        list.mutable_partitions(0)->set_state(admin::PARTITION_STATE_STORAGE_OFFLINE);
        model.applyPartitions(list);
        QCOMPARE(model.healthSummary(), QStringLiteral("partitions: 2 partitions offline (first: orders-0)"));
    }

    // Only a partition's leader knows its followers: every node is asked and the replication
    // comes from the answer of the leader in the partition's epoch (node 1 here); node 2 still
    // reports an older epoch it led, which must not show. The under-replicated partition is
    // flagged with the follower that fell behind, the health line counts it, the leader's
    // largest follower lag is charted, and the two replication event kinds are listed.
    void replicationFromTheLeadersAnswerColumnsAlertsAndLagChart()
    {
        Cluster c;
        c.start();
        admin::PartitionList list;
        admin::Partition *p = list.add_partitions();
        p->set_topic("orders");
        p->set_leader(1);
        p->set_assigned_leader(1);
        p->set_leader_epoch(4);
        p->set_partition_epoch(9);
        p->set_state(admin::PARTITION_STATE_OK);
        p->set_under_replicated(true);
        for (uint64_t r : {1, 2, 3})
            p->add_replicas(r);
        for (uint64_t r : {1, 2})
            p->add_isr(r);
        for (auto &s : c.servers)
            s.partitions() = list;
        auto replication = [](int32_t epoch, int64_t hw, int64_t laggingBy) {
            admin::PartitionReplication r;
            r.set_leader_epoch(epoch);
            r.set_high_watermark(hw);
            r.set_log_end(hw + laggingBy);
            admin::ReplicaProgress *inSync = r.add_followers();
            inSync->set_broker(2);
            inSync->set_log_end(hw + laggingBy);
            inSync->set_caught_up_age_ms(100);
            inSync->set_in_isr(true);
            admin::ReplicaProgress *out = r.add_followers();
            out->set_broker(3);
            out->set_log_end(hw);
            out->set_lag(laggingBy);
            out->set_caught_up_age_ms(12'000);
            return r;
        };
        *c.servers[0].partitions().mutable_partitions(0)->mutable_replication() = replication(4, 100, 15);
        *c.servers[1].partitions().mutable_partitions(0)->mutable_replication() = replication(3, 7, 99);   // stale
        c.servers[0].status().set_replication_measured(true);
        c.servers[0].status().set_max_follower_lag(15);
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        PartitionsModel topics(&model);
        EventsModel events(&model);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        // The first poll may go out while only one node streams; a later one asks all three.
        QTRY_VERIFY(model.hasPartitions() && model.partitions().partitions(0).has_replication());
        topics.flush();
        QCOMPARE(topics.rowCount(), 1);
        QCOMPARE(topics.text(0, PartitionsModel::Isr), QStringLiteral("1,2"));
        QCOMPARE(topics.text(0, PartitionsModel::State), QStringLiteral("under-replicated"));
        QCOMPARE(topics.text(0, PartitionsModel::HighWatermark), QStringLiteral("100"));
        QCOMPARE(topics.text(0, PartitionsModel::ReplicaLag), QStringLiteral("2:0, 3:15"));
        QVERIFY2(topics.row(0).reason.contains(QStringLiteral("broker 3 is 15 messages behind, last caught up 12.0 s ago")),
                 qPrintable(topics.row(0).reason));
        QCOMPARE(topics.flaggedRows(), 1);
        QCOMPARE(model.healthSummary(), QStringLiteral("partitions: 1 partition under-replicated (first: orders-0)"));

        // Node 1 reports its largest follower lag; nodes 2 and 3 (leading nothing here) do not.
        const NodeEntry *leader = model.nodeById(1);
        QVERIFY(leader);
        QCOMPARE(leader->history.back().maxFollowerLag, 15.0);
        const QList<QPointF> lag = ChartSeries::maxFollowerLag(*leader, model.now(), 60'000);
        QVERIFY(!lag.isEmpty());
        QCOMPARE(lag.back().y(), 15.0);
        QVERIFY(ChartSeries::maxFollowerLag(*model.nodeById(2), model.now(), 60'000).isEmpty());

        // The follower caught up: the leader says so and the row is no longer flagged.
        for (auto &s : c.servers) {
            s.partitions().mutable_partitions(0)->add_isr(3);
            s.partitions().mutable_partitions(0)->set_under_replicated(false);
            s.partitions().mutable_partitions(0)->set_partition_epoch(10);
        }
        c.servers[0].partitions().mutable_partitions(0)->mutable_replication()->mutable_followers(1)->set_in_isr(true);
        c.servers[0].partitions().mutable_partitions(0)->mutable_replication()->mutable_followers(1)->set_lag(0);
        QTRY_VERIFY2(model.healthy(), qPrintable(alertLines(model)));
        topics.flush();
        QCOMPARE(topics.text(0, PartitionsModel::ReplicaLag), QStringLiteral("2:0, 3:0"));
        QCOMPARE(topics.flaggedRows(), 0);

        c.servers[0].pushEvent(admin::EVENT_KIND_ISR_CHANGED, QStringLiteral("orders-0: ISR [1,2] -> [1,2,3], asked by leader 1"));
        c.servers[1].pushEvent(admin::EVENT_KIND_LEADER_ELECTED,
                               QStringLiteral("broker 1 fenced: 1 leadership moved: orders-0->2"));
        QTRY_COMPARE(events.rowCount(), 2);
        QVERIFY(events.kinds().contains(QStringLiteral("isr-changed")));
        QVERIFY(events.kinds().contains(QStringLiteral("leader-elected")));
    }

    void reconnectsAfterTheServerClosesAndReopens()
    {
        FakeAdminServer s;
        QVERIFY(s.listen());
        s.status() = healthySnapshot(1, 1, 4);
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        NodesModel nodes(&model);
        client.connectTo({s.address()});
        QTRY_COMPARE(streamingNodes(model), 1);
        QCOMPARE(s.connectionsAccepted(), 1);

        s.close();
        QTRY_VERIFY(model.nodes()[0].unreachable());
        QTRY_VERIFY2(hasAlert(model, QStringLiteral("unreachable")), qPrintable(alertLines(model)));
        QVERIFY(nodes.text(0, NodesModel::Connection).startsWith(QStringLiteral("unreachable")));
        QCOMPARE(nodes.data(nodes.index(0, 0), RowTableModel::FlagRole).toInt(), int(RowTableModel::Flag::Critical));
        QTRY_VERIFY(client.connection(s.address())->failures() >= 2);   // it keeps trying

        s.status().set_term(5);
        QVERIFY(s.reopen());
        QTRY_COMPARE_WITH_TIMEOUT(streamingNodes(model), 1, 5000);
        QCOMPARE(model.nodes()[0].latest.term(), 5u);
        QVERIFY(s.connectionsAccepted() >= 2);
        QTRY_VERIFY2(model.healthy(), qPrintable(alertLines(model)));
    }

    void aSilentServerIsDetected()
    {
        // Accepts TCP but never answers: must not look connected, must not block anything.
        QTcpServer mute;
        QVERIFY(mute.listen(QHostAddress::LocalHost));
        ClusterClient::Options o = fastOptions();
        o.connection.connectTimeoutMs = 300;
        ClusterClient client(o);
        ClusterModel model;
        model.attach(&client);
        client.connectTo({QStringLiteral("127.0.0.1:%1").arg(mute.serverPort())});
        QTRY_VERIFY(model.nodes()[0].unreachable());
        QVERIFY2(model.nodes()[0].error.contains(QStringLiteral("sent no status")), qPrintable(model.nodes()[0].error));
        QVERIFY(model.isFullyUpdated());   // an unreachable node does not hold up the screenshot
    }

    void requestsAreMatchedById()
    {
        FakeAdminServer s;
        QVERIFY(s.listen());
        s.status() = healthySnapshot(1, 1, 4);
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        client.connectTo({s.address()});
        QTRY_COMPARE(streamingNodes(model), 1);
        int answered = 0;
        QString detail;
        for (int i = 0; i < 3; ++i) {
            admin::Request r;
            r.mutable_delete_topic()->set_name("t" + std::to_string(i));
            client.call(r, [&](Result<admin::Response> resp) {
                QVERIFY(resp.isOk());
                detail = QString::fromStdString(resp->done().detail());
                ++answered;
            });
        }
        QTRY_COMPARE(answered, 3);
        QCOMPARE(detail, QStringLiteral("done by the fake"));
        QCOMPARE(s.mutations().size(), size_t(3));
        QCOMPARE(s.mutations()[2].delete_topic().name(), std::string("t2"));
        // While streaming continues: the snapshots did not get in the way.
        s.pushStatus();
        QTRY_VERIFY(model.nodes()[0].history.size() >= 2);
    }

    void exportCarriesNodesAndSamples()
    {
        Cluster c;
        c.start();
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        QTest::qWait(20);   // rates need the node's clock to move between two snapshots
        for (auto &s : c.servers) {
            s.status().set_ready_iterations(1100);
            s.status().set_commit(120);
            s.status().set_replication_measured(true);   // the replication lag chart's series
            s.status().set_max_follower_lag(37);
            s.pushStatus();
        }
        for (size_t i = 0; i < 3; ++i)
            QTRY_VERIFY(model.nodes()[i].history.size() >= 2);
        const QJsonObject root = QJsonDocument::fromJson(ChartDataExporter::toJson(model)).object();
        const QJsonArray nodes = root.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 3);
        for (const QJsonValue &n : nodes)
            QCOMPARE(n.toObject().value(QStringLiteral("leader_id")).toInt(), 2);
        QVERIFY(nodes[0].toObject().value(QStringLiteral("samples")).toArray().size() >= 2);
        const QJsonObject last = nodes[0].toObject().value(QStringLiteral("samples")).toArray().last().toObject();
        QVERIFY(last.value(QStringLiteral("loop_interval_ms")).toDouble() > 0);
        QVERIFY(last.value(QStringLiteral("commit_rate")).toDouble() > 0);
        QCOMPARE(last.value(QStringLiteral("max_follower_lag")).toInt(), 37);
        QCOMPARE(nodes[0].toObject().value(QStringLiteral("incarnation_id")).toString(), QStringLiteral("inc-1"));
        const QByteArray csv = ChartDataExporter::toCsv(model);
        QVERIFY(csv.startsWith("address,node_id,time_ms"));
        QVERIFY(csv.count('\n') >= 7);
        const QList<QByteArray> lines = csv.trimmed().split('\n');
        const QList<QByteArray> header = lines.first().split(',');
        const auto lagAt = header.indexOf("max_follower_lag");
        QVERIFY(lagAt > 0);
        QCOMPARE(lines.last().split(',').value(lagAt), QByteArray("37"));
        QCOMPARE(lines.last().split(',').size(), header.size());
    }

    // A dashboard opened after an incident: every node sends what it kept, the lists are merged
    // by the nodes' times, and a history sent again after a reconnect adds nothing.
    void eventHistoriesMergedInTimeOrderWithoutRepeats()
    {
        Cluster c;
        c.start();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        c.servers[0].addPastEvent(admin::EVENT_KIND_ELECTION, QStringLiteral("node 1 starts an election (term 7)"), now - 60'000);
        c.servers[1].addPastEvent(admin::EVENT_KIND_BROKER_FENCED, QStringLiteral("broker 3 fenced"), now - 50'000);
        c.servers[0].addPastEvent(admin::EVENT_KIND_LEADER, QStringLiteral("leader is node 2 in term 7"), now - 40'000);
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        EventsModel events(&model);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        QTRY_COMPARE(model.events().size(), size_t(3));
        events.setNodeFilter(0);   // rebuilds now
        QCOMPARE(events.rowCount(), 3);
        QCOMPARE(events.text(0, EventsModel::Kind), QStringLiteral("leader"));          // newest first
        QCOMPARE(events.text(1, EventsModel::Kind), QStringLiteral("broker-fenced"));   // node 2's, in between
        QCOMPARE(events.text(2, EventsModel::Kind), QStringLiteral("election"));
        for (const NodeEntry &n : model.nodes())
            QCOMPARE(n.eventHistory, NodeEntry::EventHistory::Received);
        QVERIFY(model.historyNotices().isEmpty());

        // Node 1 goes away and comes back: its history comes again, nothing is listed twice.
        c.servers[0].close();
        QTRY_VERIFY(model.nodes()[0].unreachable());
        QVERIFY(c.servers[0].reopen());
        QTRY_COMPARE_WITH_TIMEOUT(streamingNodes(model), 3, 5000);
        c.servers[0].pushEvent(admin::EVENT_KIND_ROLE, QStringLiteral("node 1 is now follower"));
        QTRY_COMPARE(model.events().size(), size_t(4));
        QTest::qWait(100);   // nothing else comes
        QCOMPARE(model.events().size(), size_t(4));

        const QJsonObject root = QJsonDocument::fromJson(ChartDataExporter::toJson(model)).object();
        const QJsonArray exported = root.value(QStringLiteral("events")).toArray();
        QCOMPARE(exported.size(), 4);
        QCOMPARE(exported[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("election"));   // oldest first
        QVERIFY(exported[0].toObject().value(QStringLiteral("from_history")).toBool());
        QCOMPARE(exported[3].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("role"));
        QCOMPARE(root.value(QStringLiteral("nodes")).toArray()[0].toObject().value(QStringLiteral("event_history")).toString(),
                 QStringLiteral("received"));
    }

    // A node older than event histories ignores with_history: it still streams, and the events
    // view says that its earlier events cannot be shown.
    void anOlderNodeIsTooOldForTheHistoryView()
    {
        Cluster c;
        c.start();
        c.servers[2].setKeepsHistory(false);
        c.servers[0].addPastEvent(admin::EVENT_KIND_ELECTION, QStringLiteral("node 1 starts an election (term 7)"),
                                  QDateTime::currentMSecsSinceEpoch() - 1000);
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 3);
        QTRY_COMPARE(model.nodes()[2].eventHistory, NodeEntry::EventHistory::Unsupported);
        QTRY_COMPARE(model.events().size(), size_t(1));
        const QStringList notices = model.historyNotices();
        QCOMPARE(notices.size(), 1);
        QVERIFY2(notices[0].startsWith(QStringLiteral("node 3 (%1) is too old for this view").arg(c.addresses[2])),
                 qPrintable(notices[0]));
        c.servers[2].pushEvent(admin::EVENT_KIND_ROLE, QStringLiteral("node 3 is now follower"));   // live events still come
        QTRY_COMPARE(model.events().size(), size_t(2));
        QVERIFY2(model.healthy(), qPrintable(alertLines(model)));
    }

    // Killed before the dashboard started: its card and alert come from what the others saw.
    void unreachableNodeCardSaysWhatTheOthersLastSaw()
    {
        Cluster c;
        c.start();
        c.servers[2].close();   // node 3: refused from the start
        // The controller (node 2) last heard node 3 45 s ago and fenced it; orders-1 (only on
        // node 3) still names it; orders-2's leadership moved from it to node 1.
        for (int i : {0, 1}) {
            admin::Broker *b3 = c.servers[i].status().mutable_brokers(2);
            b3->set_fenced(true);
            if (b3->heartbeat_known())
                b3->set_last_heartbeat_age_ms(45'000);
        }
        admin::PartitionList partitions = twoPartitions();
        partitions.mutable_partitions(1)->set_leader(0);
        partitions.mutable_partitions(1)->set_assigned_leader(3);
        partitions.mutable_partitions(1)->set_state(admin::PARTITION_STATE_OFFLINE);
        admin::Partition *moved = partitions.add_partitions();
        moved->set_topic("orders");
        moved->set_partition(2);
        moved->set_leader(1);
        moved->set_assigned_leader(1);
        moved->set_state(admin::PARTITION_STATE_OK);
        for (int i : {0, 1})
            c.servers[i].partitions() = partitions;
        admin::LeaderMoves moves;
        admin::PartitionMove *m = moves.add_moves();
        m->set_topic("orders");
        m->set_partition(2);
        m->set_from(3);
        m->set_to(1);
        c.servers[1].addPastEvent(admin::EVENT_KIND_LEADER_ELECTED, QStringLiteral("broker 3 fenced: 1 leadership moved: orders-2->1"),
                                  QDateTime::currentMSecsSinceEpoch() - 30'000, moves);

        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        NodesModel nodes(&model);
        client.connectTo(c.list());
        QTRY_COMPARE(streamingNodes(model), 2);
        QTRY_VERIFY(model.nodes()[2].unreachable());
        QTRY_VERIFY(model.hasPartitions());
        QTRY_COMPARE(model.events().size(), size_t(1));
        nodes.flush();

        const NodesModel::Card card = nodes.card(2);
        const QString text = card.title + QLatin1Char('\n') + card.lines.join(QLatin1Char('\n'));
        QCOMPARE(card.title, QStringLiteral("node 3 · unreachable"));   // its id from the broker registry
        QVERIFY2(card.lines[0].startsWith(QStringLiteral("since ")), qPrintable(text));
        QVERIFY2(card.lines.contains(QStringLiteral("last heartbeat 45s ago")), qPrintable(text));
        QVERIFY2(card.lines.contains(QStringLiteral("fenced")), qPrintable(text));
        QVERIFY2(card.lines.contains(QStringLiteral("led orders-1, orders-2")), qPrintable(text));
        QCOMPARE(card.lines.last(), c.addresses[2]);
        QVERIFY2(card.lines.contains(QStringLiteral("Connection refused")), qPrintable(text));   // the address not repeated
        for (const QString &line : card.lines) {   // no template with a blank where a value should be
            QVERIFY2(!line.trimmed().isEmpty(), qPrintable(text));
            QVERIFY2(!line.contains(QStringLiteral("·  ")) && !line.contains(QStringLiteral("  ·")) && !line.endsWith(QStringLiteral("·"))
                         && !line.contains(QLatin1Char('?')),
                     qPrintable(text));
        }
        QCOMPARE(nodes.text(2, NodesModel::Node), QStringLiteral("3"));

        // The alert names the address once.
        const Alert *alert = nullptr;
        for (const Alert &a : model.alerts())
            if (a.text.startsWith(QStringLiteral("unreachable")))
                alert = &a;
        QVERIFY2(alert, qPrintable(alertLines(model)));
        QCOMPARE(alert->source, QStringLiteral("node 3"));
        QCOMPARE(alert->text, QStringLiteral("unreachable at %1: Connection refused").arg(c.addresses[2]));
        QVERIFY(alert->sinceMs <= QDateTime::currentMSecsSinceEpoch() - 45'000 + 5'000);   // the last heartbeat

        const QJsonObject root = QJsonDocument::fromJson(ChartDataExporter::toJson(model)).object();
        const QJsonObject down = root.value(QStringLiteral("nodes")).toArray()[2].toObject();
        const QJsonObject u = down.value(QStringLiteral("unreachable")).toObject();
        QCOMPARE(u.value(QStringLiteral("node_id")).toInt(), 3);
        QCOMPARE(u.value(QStringLiteral("last_heartbeat_age_ms")).toInt(), 45'000);
        QCOMPARE(u.value(QStringLiteral("fenced")).toBool(), true);
        QVERIFY(u.value(QStringLiteral("since_from_heartbeat")).toBool());
        QCOMPARE(u.value(QStringLiteral("led_partitions")).toArray(), QJsonArray({QStringLiteral("orders-1"), QStringLiteral("orders-2")}));
        QCOMPARE(down.value(QStringLiteral("card")).toObject().value(QStringLiteral("title")).toString(), card.title);
    }

    void historyIsBounded()
    {
        ClusterModel model;
        model.addNode(QStringLiteral("x:1"), false);
        admin::StatusSnapshot s = healthySnapshot(1, 1, 1);
        for (size_t i = 0; i < ClusterModel::kHistorySamples + 100; ++i) {
            s.set_server_time_unix_ms(s.server_time_unix_ms() + 500);
            s.set_ready_iterations(s.ready_iterations() + 10);
            model.applyStatus(QStringLiteral("x:1"), s);
        }
        QCOMPARE(model.nodes()[0].history.size(), ClusterModel::kHistorySamples);
        QCOMPARE(model.nodes()[0].history.back().loopIntervalMs, 50.0);
        for (size_t i = 0; i < ClusterModel::kEventCapacity + 10; ++i)
            model.applyEvent(QStringLiteral("x:1"), admin::Event());
        QCOMPARE(model.events().size(), ClusterModel::kEventCapacity);
    }
};

QTEST_MAIN(ClusterModelTest)
#include "ClusterModelTest.moc"
