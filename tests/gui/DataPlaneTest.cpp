// The data plane on the dashboard, fed by fake admin servers with scripted traffic on the node's
// own clock: throughput per node and per topic from the counters of consecutive snapshots (none
// across a restart), request latency per API and variant (the p99 of the span from the growth
// of the cumulative histograms), disks on the node cards with the low-space alert, and "node too
// old for this view" where an older node reports neither. Then the window: the Traffic tab's
// charts and tables, the header's cluster total, the Partitions tab (log sizes, sorting by
// number, the topic filter, flagged rows counted in the health line), and --tab names.
#include "FakeAdminServer.h"
#include "IsolatedSettings.h"

#include "metrics/HistogramBuckets.h"
#include "models/ChartDataExporter.h"
#include "models/ChartSeries.h"
#include "models/ClusterModel.h"
#include "models/Format.h"
#include "models/GroupsModel.h"
#include "models/LatencyModel.h"
#include "models/NodesModel.h"
#include "models/PartitionsModel.h"
#include "models/ProfileStore.h"
#include "models/TopicTrafficModel.h"
#include "net/ClusterClient.h"
#include "views/GroupsPanel.h"
#include "views/MainWindow.h"
#include "views/NodeCardsView.h"
#include "views/TrafficPanel.h"

#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTest>

using namespace skiff;
using namespace skiff::gui;
using metrics::HistogramBuckets;
using skiff::gui::test::FakeAdminServer;
using skiff::gui::test::healthySnapshot;
using skiff::gui::test::histogramOf;
using skiff::gui::test::IsolatedSettings;

namespace {

constexpr qint64 kT0 = 1'800'000'000'000;   // the nodes' clock at the first snapshot
constexpr uint64_t kGiB = 1024ull * 1024 * 1024;

ClusterClient::Options fastOptions()
{
    ClusterClient::Options o;
    o.discover = false;
    o.partitionsPollMs = 200;
    o.connection.rateHz = 10;
    o.connection.initialBackoffMs = 50;
    o.connection.maxBackoffMs = 200;
    o.connection.connectTimeoutMs = 1000;
    return o;
}

admin::TopicTraffic &topicOf(admin::StatusSnapshot &s, const std::string &topic)
{
    for (admin::TopicTraffic &t : *s.mutable_topic_traffic())
        if (t.topic() == topic)
            return t;
    admin::TopicTraffic *t = s.add_topic_traffic();
    t->set_topic(topic);
    return *t;
}

// Traffic on the node's counters: `messages` of `bytesEach` produced, consumed and replicated.
void flow(admin::StatusSnapshot &s, const std::string &topic, uint64_t messages, uint64_t bytesEach)
{
    admin::TopicTraffic &t = topicOf(s, topic);
    t.set_messages_in(t.messages_in() + messages);
    t.set_bytes_in(t.bytes_in() + messages * bytesEach);
    t.set_consumer_messages_out(t.consumer_messages_out() + messages / 2);
    t.set_consumer_bytes_out(t.consumer_bytes_out() + messages / 2 * bytesEach);
    t.set_replica_messages_out(t.replica_messages_out() + 2 * messages);
    t.set_replica_bytes_out(t.replica_bytes_out() + 2 * messages * bytesEach);
}

admin::KafkaApiCount &apiOf(google::protobuf::RepeatedPtrField<admin::KafkaApiCount> &apis, const std::string &name)
{
    for (admin::KafkaApiCount &a : apis)
        if (a.api() == name)
            return a;
    admin::KafkaApiCount *a = apis.Add();
    a->set_api(name);
    return *a;
}

// `micros` more requests of `api` (and of its `variant`), in the cumulative histograms.
void requests(admin::StatusSnapshot &s, const std::string &api, const std::string &variant, const std::vector<int64_t> &micros)
{
    s.set_kafka_requests_measured(true);
    admin::KafkaApiCount &a = apiOf(*s.mutable_kafka_requests(), api);
    a.set_requests(a.requests() + micros.size());
    *a.mutable_latency_micros() = histogramOf(micros, a.latency_micros());
    admin::KafkaApiCount &v = apiOf(*a.mutable_variants(), variant);
    v.set_requests(v.requests() + micros.size());
    *v.mutable_latency_micros() = histogramOf(micros, v.latency_micros());
}

void disk(admin::StatusSnapshot &s, uint64_t total, uint64_t available, uint64_t logs)
{
    s.set_disks_reported(true);
    s.clear_disks();
    admin::DiskUsage *d = s.add_disks();
    d->set_path("/var/lib/skiff/data");
    d->set_role("data");
    d->set_total_bytes(total);
    d->set_available_bytes(available);
    d->set_partition_log_bytes(logs);
}

admin::Partition *partition(admin::PartitionList &list, const std::string &topic, int index, int64_t sizeBytes)
{
    admin::Partition *p = list.add_partitions();
    p->set_topic(topic);
    p->set_partition(index);
    p->set_leader(1);
    p->set_assigned_leader(1);
    p->set_leader_epoch(3);
    p->set_state(admin::PARTITION_STATE_OK);
    for (uint64_t b : {1, 2})
        p->add_replicas(b);
    p->add_isr(1);
    p->add_isr(2);
    admin::PartitionReplication *r = p->mutable_replication();
    r->set_leader_epoch(3);
    r->set_high_watermark(1000 + index);
    r->set_log_end(1000 + index);
    r->set_log_size_reported(true);
    r->set_log_start(10 * index);
    r->set_size_bytes(sizeBytes);
    r->set_segments(1 + index);
    admin::ReplicaProgress *f = r->add_followers();
    f->set_broker(2);
    f->set_log_end(1000 + index);
    f->set_in_isr(true);
    return p;
}

// Node 1 of two: the new one, with traffic, latency variants and disks; node 2 is older.
struct Cluster {
    FakeAdminServer servers[2];
    std::vector<QString> addresses;
    qint64 time = kT0;

    bool start()
    {
        for (auto &s : servers) {
            if (!s.listen())
                return false;
            addresses.push_back(s.address());
        }
        for (int i = 0; i < 2; ++i) {
            servers[i].status() = healthySnapshot(uint64_t(i + 1), 1, 4, addresses);
            servers[i].setServerTimeMs(time);
        }
        admin::StatusSnapshot &s = servers[0].status();
        s.set_traffic_reported(true);
        flow(s, "orders", 1000, 100);
        requests(s, "Produce", "acks=all", std::vector<int64_t>(100, 300'000));   // slow, long ago
        requests(s, "Fetch", "consumer", std::vector<int64_t>(100, 2'000));
        disk(s, 100 * kGiB, 60 * kGiB, 3 * kGiB);
        // Node 2 measures requests but is too old to split them, count traffic or read disks.
        servers[1].status().set_kafka_requests_measured(true);
        *servers[1].status().add_kafka_requests() = [] {
            admin::KafkaApiCount c;
            c.set_api("Metadata");
            c.set_requests(7);
            *c.mutable_latency_micros() = histogramOf({500, 600});
            return c;
        }();
        for (auto &srv : servers) {
            partition(srv.partitions(), "orders", 0, 5 * 1024 * 1024);
            partition(srv.partitions(), "orders", 1, 200);
            admin::Partition *p = partition(srv.partitions(), "payments", 0, 70 * 1024);
            p->clear_isr();
            p->add_isr(1);   // under-replicated
            p->mutable_replication()->mutable_followers(0)->set_in_isr(false);
            p->mutable_replication()->mutable_followers(0)->set_lag(40);
        }
        return true;
    }
    QStringList list() const { return QStringList(addresses.begin(), addresses.end()); }
    // Two seconds later on the nodes' clock: 4,000 orders and 1,000 payments messages of 100
    // bytes on node 1; Produce acks=all quick now (98 at 1 ms, 2 at 40 ms), consumer Fetch 5 ms.
    void twoSecondsOfTraffic()
    {
        time += 2000;
        admin::StatusSnapshot &s = servers[0].status();
        flow(s, "orders", 4000, 100);
        flow(s, "payments", 1000, 100);
        std::vector<int64_t> produce(98, 1'000);
        produce.push_back(40'000);
        produce.push_back(40'000);
        requests(s, "Produce", "acks=all", produce);
        requests(s, "Fetch", "consumer", std::vector<int64_t>(10, 5'000));
        push();
    }
    void push()
    {
        for (auto &srv : servers) {
            srv.setServerTimeMs(time);
            srv.pushStatus();
        }
    }
};

QString diskAlerts(const ClusterModel &m)
{
    QStringList out;
    for (const Alert &a : m.alerts())
        if (a.text.contains(QStringLiteral("alert threshold")))
            out << a.source + QStringLiteral(": ") + a.text;
    return out.join(QLatin1Char('\n'));
}

// A group as its coordinator describes it: `lags` per partition of "orders" (-1: not known there).
admin::Group group(const std::string &id, uint64_t coordinator, int32_t generation, const std::vector<int64_t> &lags)
{
    admin::Group g;
    g.set_group_id(id);
    g.set_state("Stable");
    g.set_protocol_type("consumer");
    g.set_protocol("range");
    g.set_generation(generation);
    g.set_coordinator(coordinator);
    admin::GroupMember *m = g.add_members();
    m->set_member_id("m-1");
    m->set_client_id("billing-1");
    m->set_client_host("10.0.0.5");
    admin::GroupMember::Assigned *a = m->add_assignment();
    a->set_topic("orders");
    for (int32_t p = 0; p < int32_t(lags.size()); ++p) {
        a->add_partitions(p);
        admin::GroupOffset *o = g.add_offsets();
        o->set_topic("orders");
        o->set_partition(p);
        o->set_committed(100);
        o->set_lag_known(lags[size_t(p)] >= 0);
        if (o->lag_known()) {
            o->set_high_watermark(100 + lags[size_t(p)]);
            o->set_lag(lags[size_t(p)]);
        }
    }
    return g;
}

int64_t bucketBound(int64_t micros) { return HistogramBuckets::upperBound(HistogramBuckets::bucketFor(micros)); }

const admin::TopicRates *rateOf(const std::vector<admin::TopicRates> &rates, const std::string &topic)
{
    for (const admin::TopicRates &r : rates)
        if (r.topic == topic)
            return &r;
    return nullptr;
}

int rowOf(const RowTableModel &m, int column, const QString &text)
{
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.text(r, column) == text)
            return r;
    return -1;
}

} // namespace

class DataPlaneTest : public QObject {
    Q_OBJECT
    IsolatedSettings m_settings;

private slots:
    void initTestCase() { QVERIFY(m_settings.activate(QStringLiteral("test_gui_data_plane"))); }

    void throughputLatencyAndDisksFromScriptedSnapshots()
    {
        Cluster c;
        QVERIFY(c.start());
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        TopicTrafficModel topics(&model);
        LatencyModel latency(&model);
        NodesModel nodes(&model);
        client.connectTo(c.list());
        QTRY_VERIFY(model.nodeById(1) && model.nodeById(2) && model.nodeById(1)->streaming() && model.nodeById(2)->streaming());
        QVERIFY(!model.clusterTraffic());   // one snapshot: no rate yet
        QCOMPARE(model.nodesWithoutTraffic(), QStringList{QStringLiteral("node 2")});

        c.twoSecondsOfTraffic();
        QTRY_VERIFY(model.nodeById(1)->topicRates.has_value());
        // Over the nodes' two seconds, whatever the network did.
        const std::vector<admin::TopicRates> rates = model.topicRates();
        QCOMPARE(rates.size(), size_t(2));
        const admin::TopicRates *orders = rateOf(rates, "orders");
        QVERIFY(orders);
        QCOMPARE(orders->rates.messagesIn, 2000.0);
        QCOMPARE(orders->rates.bytesIn, 200'000.0);
        QCOMPARE(orders->rates.consumerMessagesOut, 1000.0);
        QCOMPARE(orders->rates.replicaBytesOut, 400'000.0);
        QCOMPARE(rateOf(rates, "payments")->rates.messagesIn, 500.0);
        const auto total = model.clusterTraffic();
        QVERIFY(total);
        QCOMPARE(total->bytesIn, 250'000.0);
        QCOMPARE(total->consumerBytesOut, 125'000.0);

        // The per-topic table, and the charts' samples.
        topics.flush();
        QCOMPARE(topics.rowCount(), 2);
        const int o = rowOf(topics, TopicTrafficModel::Topic, QStringLiteral("orders"));
        QVERIFY(o >= 0);
        QCOMPARE(topics.text(o, TopicTrafficModel::MessagesIn), QStringLiteral("2.0k/s"));
        QCOMPARE(topics.text(o, TopicTrafficModel::BytesIn), QStringLiteral("195.3 KiB/s"));
        QCOMPARE(topics.data(topics.index(o, TopicTrafficModel::BytesIn), RowTableModel::SortRole).toDouble(), 200'000.0);
        const NodeSample &sample = model.nodeById(1)->history.back();
        QCOMPARE(sample.bytesIn, 250'000.0);
        QCOMPARE(sample.consumerBytesOut, 125'000.0);
        QCOMPARE(sample.replicaBytesOut, 500'000.0);
        QCOMPARE(model.nodeById(2)->history.back().bytesIn, -1.0);   // too old: nothing charted
        QCOMPARE(ChartSeries::of(*model.nodeById(1), model.now(), 60'000, &NodeSample::bytesIn).size(), 1);

        // Latency: the span's p99 is the quick requests', not the slow ones of long ago.
        QCOMPARE(sample.produceAllP99Ms, double(bucketBound(40'000)) / 1000.0);
        QCOMPARE(sample.fetchConsumerP99Ms, double(bucketBound(5'000)) / 1000.0);
        latency.flush();
        const int produceAll = rowOf(latency, LatencyModel::Api, QStringLiteral("Produce acks=all"));
        QVERIFY(produceAll >= 0);
        QCOMPARE(latency.text(produceAll, LatencyModel::Node), QStringLiteral("1"));
        QCOMPARE(latency.text(produceAll, LatencyModel::Requests), QStringLiteral("200"));
        QCOMPARE(latency.text(produceAll, LatencyModel::RequestsPerSecond), QStringLiteral("50/s"));
        QCOMPARE(latency.text(produceAll, LatencyModel::RecentP99), formatMicros(bucketBound(40'000)));
        QVERIFY(rowOf(latency, LatencyModel::Api, QStringLiteral("Produce")) >= 0);
        QVERIFY(rowOf(latency, LatencyModel::Api, QStringLiteral("Fetch consumer")) >= 0);
        const int metadata = rowOf(latency, LatencyModel::Api, QStringLiteral("Metadata"));
        QVERIFY(metadata >= 0);
        QCOMPARE(latency.text(metadata, LatencyModel::Node), QStringLiteral("2"));

        // Disks on the cards; the older node says what it cannot show.
        nodes.flush();
        const QString card1 = nodes.card(0).lines.join(QLatin1Char('\n'));
        const QString card2 = nodes.card(1).lines.join(QLatin1Char('\n'));
        for (const char *line : {"data dir: logs 3.00 GiB · 60.0 GiB free of 100.0 GiB", "fsync p99: log none yet · WAL none yet",
                                 "in 244.1 KiB/s · out 122.1 KiB/s · replicas 488.3 KiB/s"})
            QVERIFY2(card1.contains(QString::fromUtf8(line)), qPrintable(card1));
        for (const char *line : {"traffic: node too old for this view", "data dir: node too old for this view"})
            QVERIFY2(card2.contains(QString::fromUtf8(line)), qPrintable(card2));
        QCOMPARE(diskAlerts(model), QString());
        QCOMPARE(nodes.row(0).flag, RowTableModel::Flag::None);

        // Below the free-space threshold: an alert and a flagged card, until the threshold moves.
        disk(c.servers[0].status(), 100 * kGiB, 5 * kGiB, 90 * kGiB);
        c.push();
        QTRY_VERIFY(!diskAlerts(model).isEmpty());
        QCOMPARE(diskAlerts(model),
                 QStringLiteral("node 1: data directory /var/lib/skiff/data has 5.00 GiB free of 100.0 GiB (5.0 %), below the 10 % alert threshold"));
        nodes.flush();
        QCOMPARE(nodes.row(0).flag, RowTableModel::Flag::Warning);
        model.setDiskAlertFreePercent(4);
        QCOMPARE(diskAlerts(model), QString());

        // The export has the same figures for scripts (tests/e2e read it).
        const QJsonObject exported = QJsonDocument::fromJson(ChartDataExporter::toJson(model)).object();
        QCOMPARE(exported.value(QStringLiteral("cluster_traffic")).toObject().value(QStringLiteral("bytes_in")).toDouble(), 250'000.0);
        QCOMPARE(exported.value(QStringLiteral("topic_rates")).toArray().size(), 2);
        const QJsonArray exportedNodes = exported.value(QStringLiteral("nodes")).toArray();
        const QJsonArray samples = exportedNodes[0].toObject().value(QStringLiteral("samples")).toArray();
        QList<double> bytesIn;   // -1 on the samples between rate samples
        for (const QJsonValue &v : samples)
            bytesIn << v.toObject().value(QStringLiteral("bytes_in")).toDouble();
        QVERIFY(bytesIn.contains(250'000.0));
        QCOMPARE(exportedNodes[1].toObject().value(QStringLiteral("traffic_reported")).toBool(), false);
        const QJsonObject first = exported.value(QStringLiteral("partition_list")).toArray()[0].toObject();
        QCOMPARE(first.value(QStringLiteral("size_bytes")).toInteger(), 5 * 1024 * 1024);
        QCOMPARE(first.value(QStringLiteral("segments")).toInt(), 1);
        const QByteArray csv = ChartDataExporter::toCsv(model);
        QVERIFY(csv.split('\n').first().endsWith(",bytes_in,consumer_bytes_out,replica_bytes_out,messages_in,produce_acks_all_p99_ms,fetch_consumer_p99_ms"));

        // A restart: counters began again; no rate across it, and none until a second snapshot.
        admin::StatusSnapshot &s = c.servers[0].status();
        s.set_incarnation_id("inc-1-again");
        s.clear_topic_traffic();
        flow(s, "orders", 10, 100);
        c.time += 1500;
        c.push();
        QTRY_VERIFY(!model.nodeById(1)->topicRates.has_value());
        QVERIFY(!model.clusterTraffic());
        flow(s, "orders", 1000, 100);
        c.time += 1000;
        c.push();
        QTRY_VERIFY(model.nodeById(1)->topicRates.has_value());
        QCOMPARE(model.clusterTraffic()->messagesIn, 1000.0);
    }

    void windowShowsTrafficAndPartitions()
    {
        Cluster c;
        QVERIFY(c.start());
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        ProfileStore profiles{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        MainWindow window(&client, &model, &profiles);
        window.resize(1280, 800);
        window.show();
        client.connectTo(c.list());
        QTRY_VERIFY(model.isFullyUpdated());
        for (int i = 0; i < 4; ++i) {
            c.twoSecondsOfTraffic();
            QTest::qWait(50);
        }
        QTRY_VERIFY(model.nodeById(1)->history.size() >= 5);

        // The header: the cluster's throughput; the health line: the under-replicated partition.
        QVERIFY(window.showTab(QStringLiteral("traffic")));
        const QImage traffic = window.render();
        traffic.save(QDir::temp().filePath(QStringLiteral("skiff-dashboard-traffic.png")));
        QVERIFY2(window.headerText().contains(QStringLiteral("in 244.1 KiB/s (2.5k/s msg)  ·  out 122.1 KiB/s")),
                 qPrintable(window.headerText()));
        QCOMPARE(window.healthText(), QStringLiteral("✖ partitions: 1 partition under-replicated (first: payments-0)"));
        QCOMPARE(window.traffic()->bytesInPoints(), 4);   // node 1's rate samples; node 2 draws none
        QCOMPARE(window.traffic()->bytesOutPoints(), 8);  // to consumers and to replicas
        QCOMPARE(window.traffic()->latencyPoints(), 8);   // Produce acks=all and consumer Fetch
        QCOMPARE(window.traffic()->bytesUnit(), QStringLiteral("KiB/s"));
        QVERIFY2(window.traffic()->notice().contains(QStringLiteral("node 2: node too old for this view")),
                 qPrintable(window.traffic()->notice()));
        QCOMPARE(window.topicTrafficModel()->rowCount(), 2);
        QVERIFY(window.latencyModel()->rowCount() >= 5);

        // Partitions: log sizes, sorted by size as numbers (5 MiB > 70 KiB > 200 B), filtered by topic.
        QVERIFY(window.showTab(QStringLiteral("topics")));   // the old name still works
        QSortFilterProxyModel *view = window.partitionsView();
        QCOMPARE(window.findChild<QTabWidget *>()->currentIndex(), 3);
        const QImage partitions = window.render();
        partitions.save(QDir::temp().filePath(QStringLiteral("skiff-dashboard-partitions.png")));
        QCOMPARE(view->rowCount(), 3);
        view->sort(PartitionsModel::Size, Qt::DescendingOrder);
        const auto cell = [&](int row, int column) { return view->index(row, column).data().toString(); };
        QCOMPARE(cell(0, PartitionsModel::Size), QStringLiteral("5.00 MiB"));
        QCOMPARE(cell(1, PartitionsModel::Size), QStringLiteral("70.0 KiB"));
        QCOMPARE(cell(2, PartitionsModel::Size), QStringLiteral("200 B"));
        QCOMPARE(cell(0, PartitionsModel::Segments), QStringLiteral("1"));
        QCOMPARE(cell(2, PartitionsModel::LogStart), QStringLiteral("10"));
        QCOMPARE(cell(2, PartitionsModel::LogEnd), QStringLiteral("1001"));
        QCOMPARE(cell(1, PartitionsModel::State), QStringLiteral("under-replicated"));
        QCOMPARE(cell(1, PartitionsModel::ReplicaLag), QStringLiteral("2:40"));
        QCOMPARE(view->index(1, 0).data(RowTableModel::FlagRole).toInt(), int(RowTableModel::Flag::Warning));
        QTest::keyClicks(window.partitionFilter(), QStringLiteral("PAY"));
        QCOMPARE(view->rowCount(), 1);
        QCOMPARE(cell(0, PartitionsModel::Topic), QStringLiteral("payments"));
        window.partitionFilter()->clear();
        QCOMPARE(view->rowCount(), 3);

        // Another alert is the worst: the partitions are still counted in the health line.
        disk(c.servers[0].status(), 100 * kGiB, 1 * kGiB, 90 * kGiB);
        c.push();
        QTRY_COMPARE(model.alerts().size(), size_t(2));
        window.flushPendingUpdates();
        QVERIFY2(window.healthText().startsWith(QStringLiteral("✖ node 1: data directory /var/lib/skiff/data has 1.00 GiB free")),
                 qPrintable(window.healthText()));
        QVERIFY2(window.healthText().endsWith(QStringLiteral("(+1 more)  ·  partitions: 0 offline, 1 under-replicated")),
                 qPrintable(window.healthText()));

        QVERIFY(!window.showTab(QStringLiteral("nonsense")));
        for (const QString &name : MainWindow::tabNames())
            QVERIFY2(window.showTab(name), qPrintable(name));
    }

    // Groups from every node's DescribeGroups: each once (the higher generation where a
    // coordinator moved), a lag the coordinator did not know filled from the partition leader's
    // high watermark (admin::mergeGroupViews, as skiffctl groups), its history charted, growing
    // lag flagged and alerted; an older node is named, not guessed at.
    void consumerGroupsAndTheirLag()
    {
        Cluster c;
        QVERIFY(c.start());
        c.servers[1].setAnswersGroups(false);   // node 2 is older
        admin::GroupList &groups = c.servers[0].groups();
        *groups.add_groups() = group("billing", 1, 5, {10, 20});
        *groups.add_groups() = group("audit", 1, 2, {0, -1});
        ClusterClient client(fastOptions());
        ClusterModel model;
        model.attach(&client);
        ProfileStore profiles{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        MainWindow window(&client, &model, &profiles);
        window.resize(1280, 800);
        window.show();
        QVERIFY(window.showTab(QStringLiteral("groups")));
        client.connectTo(c.list());
        QTRY_VERIFY(model.hasGroups() && model.groups().size() == 2);
        QCOMPARE(model.groups()[0].group.group_id(), std::string("audit"));
        // audit's coordinator knows no watermark of orders-1: its leader's (1001) gives 901.
        QTRY_COMPARE(model.groups()[0].totalLag, 901);
        QCOMPARE(model.groups()[1].totalLag, 30);
        QTRY_VERIFY(!model.groupNotices().isEmpty());
        QVERIFY2(model.groupNotices().join(QString()).contains(
                     QStringLiteral("%1: the request names no operation this node knows").arg(c.addresses[1])),
                 qPrintable(model.groupNotices().join(QString())));

        // The billing consumers fall behind, poll after poll (whether it grows at each poll is
        // the next test's: the polls here run on their own timer).
        for (int64_t more = 10; more <= 40; more += 10) {
            *groups.mutable_groups(0) = group("billing", 1, 5, {10 + more, 20 + more});
            QTRY_COMPARE(model.groups()[1].totalLag, 30 + 2 * more);
        }
        window.flushPendingUpdates();
        GroupsModel *table = window.groupsModel();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->text(1, GroupsModel::Group), QStringLiteral("billing"));
        QCOMPARE(table->text(1, GroupsModel::Protocol), QStringLiteral("consumer (range)"));
        QCOMPARE(table->text(1, GroupsModel::Members), QStringLiteral("1"));
        QCOMPARE(table->text(1, GroupsModel::TotalLag), QStringLiteral("110"));
        QVERIFY2(table->row(1).reason.contains(QStringLiteral("billing-1 (10.0.0.5): orders 0,1")), qPrintable(table->row(1).reason));
        GroupOffsetsModel *offsets = window.groupOffsetsModel();
        QCOMPARE(offsets->rowCount(), 4);
        QCOMPARE(offsets->text(1, GroupOffsetsModel::Lag), QStringLiteral("901"));   // audit's partition 1, from its leader
        QCOMPARE(offsets->text(3, GroupOffsetsModel::Lag), QStringLiteral("60"));

        const QImage image = window.render();
        image.save(QDir::temp().filePath(QStringLiteral("skiff-dashboard-groups.png")));
        QCOMPARE(window.groupsPanel()->chartedGroups(), 2);
        QVERIFY(window.groupsPanel()->lagPoints() >= 5);
        QVERIFY2(window.groupsPanel()->notice().contains(QStringLiteral("too old for this view")), qPrintable(window.groupsPanel()->notice()));

        // A coordinator that moved: the newer generation's answer wins.
        *c.servers[1].groups().add_groups() = group("billing", 2, 6, {1, 1});
        c.servers[1].setAnswersGroups(true);
        QTRY_COMPARE(model.groups()[1].group.generation(), 6);
        QCOMPARE(model.groups()[1].totalLag, 2);
        QVERIFY(model.groupNotices().isEmpty());
    }

    void growingLagIsFlaggedAndAlerted()
    {
        qint64 clock = kT0;
        ClusterModel model;
        model.setClock([&clock] { return clock; });
        GroupsModel table(&model);
        const auto poll = [&](int64_t lag) {
            clock += 2000;
            model.applyGroups({group("billing", 1, 5, {lag}), group("audit", 1, 2, {-1})});
        };
        const auto alerted = [&] {
            for (const Alert &a : model.alerts())
                if (a.source == QStringLiteral("group billing"))
                    return a.text;
            return QString();
        };
        for (int64_t lag : {5, 5, 10, 20})   // rose at two polls in a row: not yet
            poll(lag);
        QVERIFY(!model.groups()[1].lagGrowing);
        QCOMPARE(alerted(), QString());
        poll(30);   // the third
        QVERIFY(model.groups()[1].lagGrowing);
        QVERIFY(!model.groups()[0].lagGrowing);   // no lag known: never growing
        QCOMPARE(alerted(), QStringLiteral("lag growing: rose at each of the last 3 polls, now 30 messages"));
        QCOMPARE(table.text(1, GroupsModel::Trend), QStringLiteral("growing"));
        QCOMPARE(table.row(1).flag, RowTableModel::Flag::Warning);
        QCOMPARE(table.text(0, GroupsModel::TotalLag), QStringLiteral("not known"));
        QCOMPARE(model.groups()[1].lag.size(), size_t(5));
        poll(30);   // caught up with the producers
        QVERIFY(!model.groups()[1].lagGrowing);
        QCOMPARE(alerted(), QString());
        QCOMPARE(table.row(1).flag, RowTableModel::Flag::None);
        model.applyGroups({group("audit", 1, 2, {-1})});   // billing is gone, and so is its history
        QCOMPARE(model.groups().size(), size_t(1));
    }
};

QTEST_MAIN(DataPlaneTest)
#include "DataPlaneTest.moc"
