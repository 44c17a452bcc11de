// The whole window fed by three fake nodes, rendered offscreen: the tables are filled, every
// chart has drawn series, the header and health line say what they should, and the image is a
// real picture (many colours), in the light and the dark palette.
#include "FakeAdminServer.h"
#include "IsolatedSettings.h"

#include "metrics/HistogramBuckets.h"
#include "models/AlertsModel.h"
#include "models/ClusterModel.h"
#include "models/EventsModel.h"
#include "models/NodesModel.h"
#include "models/ProfileStore.h"
#include "models/PartitionsModel.h"
#include "models/BrokersModel.h"
#include "net/ClusterClient.h"
#include "views/ChartsPanel.h"
#include "views/MainWindow.h"
#include "views/NodeCardsView.h"

#include <QDir>
#include <QImage>
#include <QTest>

#include <set>

using namespace skiff;
using namespace skiff::gui;
using skiff::gui::test::FakeAdminServer;
using skiff::gui::test::healthySnapshot;
using skiff::gui::test::IsolatedSettings;

namespace {

size_t distinctColours(const QImage &image)
{
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    return colours.size();
}

// One Ready-loop interval more in the snapshot's cumulative histogram.
void recordInterval(admin::StatusSnapshot &s, int64_t micros)
{
    admin::Histogram *h = s.mutable_ready_loop_interval_micros();
    while (size_t(h->bucket_counts_size()) < metrics::HistogramBuckets::kBucketCount)
        h->add_bucket_counts(0);
    const int bucket = int(metrics::HistogramBuckets::bucketFor(micros));
    h->set_bucket_counts(bucket, h->bucket_counts(bucket) + 1);
    h->set_count(h->count() + 1);
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
    IsolatedSettings m_settings;

private slots:
    void initTestCase() { QVERIFY(m_settings.activate(QStringLiteral("test_gui_window"))); }

    void rendersAFedWindow()
    {
        FakeAdminServer servers[3];
        std::vector<QString> addresses;
        for (auto &s : servers) {
            QVERIFY(s.listen());
            addresses.push_back(s.address());
        }
        for (int i = 0; i < 3; ++i) {
            servers[i].status() = healthySnapshot(uint64_t(i + 1), 2, 7, addresses);
            admin::Partition *p = servers[i].partitions().add_partitions();
            p->set_topic("orders");
            p->set_leader(2);
            p->set_state(admin::PARTITION_STATE_OK);
            p->add_replicas(2);
            p->add_isr(2);
        }
        ClusterClient::Options o;
        o.discover = false;
        o.connection.rateHz = 10;
        ClusterClient client(o);
        ClusterModel model;
        model.attach(&client);
        ProfileStore profiles{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        MainWindow window(&client, &model, &profiles);
        Profile profile;
        profile.name = QStringLiteral("fake");
        profile.watchdogMissMs = 200;
        window.setProfile(profile);
        window.resize(1280, 800);
        window.show();
        client.connectTo(QStringList(addresses.begin(), addresses.end()));
        QTRY_VERIFY(model.isFullyUpdated());

        // A few seconds of history: iterations every 50 ms, commits, one term change on all.
        for (int step = 1; step <= 6; ++step) {
            QTest::qWait(120);
            for (auto &s : servers) {
                s.status().set_ready_iterations(s.status().ready_iterations() + 2 + uint64_t(step % 3));
                recordInterval(s.status(), step == 5 ? 400'000 : 50'000);
                s.status().set_commit(s.status().commit() + uint64_t(3 * step));
                s.status().set_applied(s.status().commit());
                if (step == 4)
                    s.status().set_term(8);
                s.pushStatus();
            }
        }
        servers[1].pushEvent(admin::EVENT_KIND_LEADER, QStringLiteral("leader is node 2 in term 8"));
        QTRY_VERIFY(model.nodes()[2].history.size() >= 7);
        QTRY_COMPARE(window.eventsModel()->rowCount(), 1);

        const QImage image = window.render();
        const QString path = QDir::temp().filePath(QStringLiteral("skiff-dashboard-qtest.png"));
        image.save(path);
        qInfo("screenshot: %s", qPrintable(path));
        QCOMPARE(image.size(), QSize(1280, 800) * image.devicePixelRatio());
        QVERIFY2(distinctColours(image) > 50, qPrintable(QString::number(distinctColours(image))));

        QCOMPARE(window.nodesModel()->rowCount(), 3);
        // The overview: a card per node with what it believes.
        QCOMPARE(window.nodeCards()->cardCount(), 3);
        const QString leaderCard = window.nodeCards()->cardText(1);
        for (const char *line : {"node 2 · leader", "leader 2 · term 8", "commit 163 · applied 163 · lag 0", "0.1.0 (abcdef123456)", "2/2 peers up"})
            QVERIFY2(leaderCard.contains(QString::fromUtf8(line)), qPrintable(leaderCard));
        QCOMPARE(window.nodeCards()->cardFlag(0), int(RowTableModel::Flag::None));
        QCOMPARE(window.brokersModel()->rowCount(), 9);
        QCOMPARE(window.partitionsModel()->rowCount(), 1);
        // Mean period and longest interval per sample (each from the second sample on).
        QVERIFY2(window.charts()->loopPoints() >= 2 * 6 * 3, qPrintable(QString::number(window.charts()->loopPoints())));
        QVERIFY2(window.charts()->loopMaxMs() >= 400, qPrintable(QString::number(window.charts()->loopMaxMs())));
        // Term 7 then 8: a step line is its corners only (start, the step's two ends, now).
        QCOMPARE(window.charts()->termPoints(), 4 * 3);
        QVERIFY(window.charts()->commitPoints() >= 6 * 3);
        QVERIFY(window.charts()->histogramBars() > 0);
        QVERIFY2(window.charts()->histogramTitle().contains(QStringLiteral("p99 900 µs")), qPrintable(window.charts()->histogramTitle()));
        QVERIFY2(window.headerText().contains(QStringLiteral("Cluster fake-cluster")), qPrintable(window.headerText()));
        QVERIFY(window.headerText().contains(QStringLiteral("3/3 nodes connected")));
        QVERIFY(window.headerText().contains(QStringLiteral("leader node 2")));
        QVERIFY(window.headerText().contains(QStringLiteral("term 8")));
        QVERIFY2(window.healthText().contains(QStringLiteral("healthy")), qPrintable(window.healthText()));
        QCOMPARE(window.windowTitle(), QStringLiteral("fake — Skiff Dashboard"));

        window.setDark(true);
        const QImage dark = window.render();
        dark.save(QDir::temp().filePath(QStringLiteral("skiff-dashboard-qtest-dark.png")));
        QVERIFY(distinctColours(dark) > 50);
        QVERIFY(dark.pixel(640, 5) != image.pixel(640, 5));   // the menu bar: the palette really changed
        // The cards' text follows the palette: light text on the dark background.
        const QImage cards = window.nodeCards()->grab().toImage();
        int light = 0;
        for (int y = 0; y < cards.height(); ++y)
            for (int x = 0; x < cards.width(); ++x)
                light += QColor(cards.pixel(x, y)).lightness() > 200 ? 1 : 0;
        QVERIFY2(light > 300, qPrintable(QString::number(light)));

        // Resizable: everything fits 1280x800, and smaller or larger windows still draw.
        QVERIFY2(window.minimumSizeHint().width() <= 1280 && window.minimumSizeHint().height() <= 800,
                 qPrintable(QStringLiteral("%1x%2").arg(window.minimumSizeHint().width()).arg(window.minimumSizeHint().height())));
        for (const QSize size : {QSize(1024, 640), QSize(1920, 1080)}) {
            window.resize(size);
            QTRY_COMPARE(window.size(), size);
            const QImage resized = window.render();
            QVERIFY(distinctColours(resized) > 50);
            QVERIFY(window.charts()->loopPoints() > 0);
        }
        window.resize(1280, 800);

        for (const QString &tab : {QStringLiteral("alerts"), QStringLiteral("brokers"), QStringLiteral("topics"), QStringLiteral("events"), QStringLiteral("nodes")})
            QVERIFY(window.showTab(tab));
        QVERIFY(!window.showTab(QStringLiteral("nope")));

        // One node goes away: shown as such, the UI keeps going.
        servers[0].close();
        QTRY_VERIFY(model.nodes()[0].unreachable());
        QTRY_VERIFY2(window.healthText().contains(QStringLiteral("unreachable")), qPrintable(window.healthText()));
        QVERIFY(window.headerText().contains(QStringLiteral("2/3 nodes connected")));
        window.flushPendingUpdates();
        QCOMPARE(window.nodeCards()->cardFlag(0), int(RowTableModel::Flag::Critical));
        // What the others last saw of it, not its own last values.
        QVERIFY2(window.nodeCards()->cardText(0).startsWith(QStringLiteral("node 1 · unreachable\nsince ")),
                 qPrintable(window.nodeCards()->cardText(0)));
    }
};

QTEST_MAIN(MainWindowTest)
#include "MainWindowTest.moc"
