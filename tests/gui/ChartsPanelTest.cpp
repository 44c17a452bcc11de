// The charts panel over five minutes of fake history (a fixed clock, no network): the time axis
// reaches as far back as the chosen window and the history allow, in 10 s steps while the history
// is shorter; every line is thinned to about a point per pixel whatever the window; the window
// picker and setWindowMs agree.
#include "FakeAdminServer.h"

#include "models/ClusterModel.h"
#include "views/ChartsPanel.h"

#include <QComboBox>
#include <QTest>

using namespace skiff;
using namespace skiff::gui;

class ChartsPanelTest : public QObject {
    Q_OBJECT
private slots:
    void windowFollowsTheChoiceAndTheHistory()
    {
        qint64 clock = 1'000'000;
        ClusterModel model;
        model.setClock([&clock] { return clock; });
        model.addNode(QStringLiteral("n1:1"), false);
        admin::StatusSnapshot s = test::healthySnapshot(1, 1, 3);
        s.set_replication_measured(true);   // it leads partitions: its largest follower lag is charted
        const auto feed = [&](int samples) {
            for (int i = 0; i < samples; ++i) {
                clock += 100;
                s.set_server_time_unix_ms(s.server_time_unix_ms() + 100);
                s.set_ready_iterations(s.ready_iterations() + 2);
                s.set_commit(s.commit() + 1);
                s.set_max_follower_lag(i % 50);
                model.applyStatus(QStringLiteral("n1:1"), s);
            }
        };
        ChartsPanel panel(&model);
        panel.resize(1280, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));

        feed(25);   // 2.5 s of history: the smallest window
        panel.refresh();
        QCOMPARE(panel.timeAxisLeft(), -10.0);
        feed(400);  // 42.5 s: grown to the next 10 s step
        panel.refresh();
        QCOMPARE(panel.timeAxisLeft(), -50.0);

        feed(2575);   // 300 s of history at 10 Hz
        panel.refresh();
        QCOMPARE(panel.windowMs(), ChartsPanel::kDefaultWindowMs);
        QCOMPARE(panel.timeAxisLeft(), -120.0);
        const int twoMinutes = panel.loopPoints();

        auto *picker = panel.findChild<QComboBox *>();
        QVERIFY(picker);
        QCOMPARE(picker->currentData().toLongLong(), ChartsPanel::kDefaultWindowMs);
        panel.setWindowMs(300'000);
        QCOMPARE(picker->currentData().toLongLong(), qint64(300'000));
        QCOMPARE(panel.timeAxisLeft(), -300.0);
        // 3,000 samples drawn as about one point per pixel, like 1,200 were.
        QVERIFY2(panel.loopPoints() <= 2 * 2 * 700, qPrintable(QString::number(panel.loopPoints())));
        QVERIFY(panel.loopPoints() >= twoMinutes / 2);
        QCOMPARE(panel.termPoints(), 2);   // one term: start and now
        QVERIFY2(panel.lagPoints() > 0 && panel.lagPoints() <= 2 * 2 * 700, qPrintable(QString::number(panel.lagPoints())));

        // The picker drives the panel; ten minutes asked, five in the history: five shown.
        picker->setCurrentIndex(picker->findData(qint64(600'000)));
        QCOMPARE(panel.windowMs(), qint64(600'000));
        QCOMPARE(panel.timeAxisLeft(), -300.0);
        panel.setWindowMs(60'000);
        QCOMPARE(panel.timeAxisLeft(), -60.0);
        panel.setWindowMs(12345);   // not a choice: ignored
        QCOMPARE(panel.windowMs(), qint64(60'000));
    }
};

QTEST_MAIN(ChartsPanelTest)
#include "ChartsPanelTest.moc"
