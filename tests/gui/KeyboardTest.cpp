// The dashboard window from the keyboard only: key presses on the shown window switch tabs, open
// menus and actions, reach the tables with Tab; no Alt+letter is claimed twice.
#include "FakeAdminServer.h"
#include "IsolatedSettings.h"
#include "Mnemonics.h"
#include "ModalDriver.h"

#include "models/BrokersModel.h"
#include "models/ClusterModel.h"
#include "models/NodesModel.h"
#include "models/ProfileStore.h"
#include "models/PartitionsModel.h"
#include "net/ClusterClient.h"
#include "views/MainWindow.h"

#include <QAbstractProxyModel>
#include <QApplication>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace skiff;
using namespace skiff::gui;
using namespace skiff::gui::test;

namespace {

// One fake leader with a topic, the window connected to it, shown and active.
struct Dashboard {
    FakeAdminServer server;
    ClusterClient client{[] {
        ClusterClient::Options o;
        o.discover = false;
        o.partitionsPollMs = 600000;   // only the explicit refreshes reach the fake
        return o;
    }()};
    ClusterModel model;
    ProfileStore profiles{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
    MainWindow window{&client, &model, &profiles};

    bool start()
    {
        if (!server.listen())
            return false;
        server.status() = healthySnapshot(1, 1, 4, {server.address()});
        admin::Partition *p = server.partitions().add_partitions();
        p->set_topic("orders");
        p->set_leader(1);
        p->set_state(admin::PARTITION_STATE_OK);
        p->add_replicas(1);
        model.attach(&client);
        window.show();
        client.connectTo({server.address()});
        return QTest::qWaitForWindowActive(&window);
    }
    bool ready() const { return model.isFullyUpdated() && model.hasPartitions(); }
    // Offscreen has no window manager to hand the activation back to the window under a dialog
    // that closed; this does what it would.
    bool reactivate()
    {
        window.activateWindow();
        return QTest::qWaitForWindowActive(&window);
    }

    QTabWidget *tabs() const { return window.findChild<QTabWidget *>(); }
    QTableView *tableOf(const QAbstractItemModel *m) const
    {
        for (QTableView *v : window.findChildren<QTableView *>()) {
            const auto *proxy = qobject_cast<const QAbstractProxyModel *>(v->model());
            if (v->model() == m || (proxy && proxy->sourceModel() == m))
                return v;
        }
        return nullptr;
    }
    // The open menu, after its title's Alt+letter.
    static QMenu *openMenu() { return qobject_cast<QMenu *>(QApplication::activePopupWidget()); }

    bool syncWithServer()
    {
        bool answered = false;
        admin::Request ping;
        ping.mutable_get_status();
        client.call(std::move(ping), [&answered](Result<admin::Response>) { answered = true; });
        return QTest::qWaitFor([&] { return answered; }, 5000);
    }
};

} // namespace

class KeyboardTest : public QObject {
    Q_OBJECT
    IsolatedSettings m_settings;

private slots:
    void initTestCase() { QVERIFY(m_settings.activate(QStringLiteral("test_gui_keyboard"))); }
    void cleanup() { ModalDriver::rejectAllModals(); }

    void everyTabHasShortcuts()
    {
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        QTabWidget *tabs = d.tabs();
        QCOMPARE(tabs->count(), 8);
        // Ctrl+digit switches and puts the focus into the page, so the arrows work at once.
        for (int i = 7; i >= 0; --i) {
            QTest::keySequence(&d.window, QKeySequence(Qt::CTRL | (Qt::Key_1 + i)));
            QCOMPARE(tabs->currentIndex(), i);
            QVERIFY2(tabs->currentWidget()->isAncestorOf(focused()) || tabs->currentWidget() == focused(),
                     qPrintable(QStringLiteral("tab %1, focus on %2").arg(i).arg(focused() ? focused()->metaObject()->className() : "nothing")));
        }
        for (int i = 0; i < 8; ++i) {
            QTest::keyClick(&d.window, Qt::Key(Qt::Key_1 + i), Qt::AltModifier);
            QCOMPARE(tabs->currentIndex(), i);
        }
        // The tab titles' mnemonics.
        const std::pair<Qt::Key, int> letters[] = {{Qt::Key_G, 7}, {Qt::Key_T, 6}, {Qt::Key_S, 5}, {Qt::Key_E, 4}, {Qt::Key_P, 3},
                                                   {Qt::Key_B, 2}, {Qt::Key_A, 1}, {Qt::Key_C, 0}};
        for (const auto &[key, index] : letters) {
            QTest::keyClick(&d.window, key, Qt::AltModifier);
            QCOMPARE(tabs->currentIndex(), index);
        }
    }

    // On every tab (each shows other labels), and with alerts in the Alerts title.
    void noMnemonicIsClaimedTwice()
    {
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        for (int i = 0; i < 8; ++i) {
            QTest::keySequence(&d.window, QKeySequence(Qt::CTRL | (Qt::Key_1 + i)));
            const QStringList clashes = mnemonicClashes(&d.window);
            QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
        }
        for (QAction *menu : d.window.menuBar()->actions()) {
            QVERIFY2(!QKeySequence::mnemonic(menu->text()).isEmpty(), qPrintable(menu->text()));
            QVERIFY2(mnemonicClashes(menu->menu()).isEmpty(), qPrintable(mnemonicClashes(menu->menu()).join(QStringLiteral("; "))));
            QVERIFY2(withoutMnemonic(menu->menu()).isEmpty(), qPrintable(withoutMnemonic(menu->menu()).join(QStringLiteral("; "))));
        }
    }

    void menusOpenWithAltAndTheirLetter()
    {
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        const std::pair<Qt::Key, QString> menus[] = {
            {Qt::Key_F, QStringLiteral("&File")}, {Qt::Key_L, QStringLiteral("C&luster")}, {Qt::Key_V, QStringLiteral("&View")}};
        for (const auto &[key, title] : menus) {
            QTest::keyClick(&d.window, key, Qt::AltModifier);
            QTRY_VERIFY(Dashboard::openMenu());
            QCOMPARE(Dashboard::openMenu()->title(), title);
            QTest::keyClick(Dashboard::openMenu(), Qt::Key_Escape);
            QTRY_VERIFY(!Dashboard::openMenu());
            QTest::keyClick(&d.window, Qt::Key_Escape);   // leaves the menu bar's keyboard mode
        }
        // A menu's letter runs its item: View > Partitions.
        QTest::keyClick(&d.window, Qt::Key_V, Qt::AltModifier);
        QTRY_VERIFY(Dashboard::openMenu());
        QTest::keyClick(Dashboard::openMenu(), Qt::Key_P);
        QTRY_VERIFY(!Dashboard::openMenu());
        QCOMPARE(d.tabs()->currentIndex(), 3);
    }

    // Alt+L, then the item's letter, as a user opens an action; then Escape backs out of it.
    void clusterActionsOpenFromTheKeyboardAndCancel()
    {
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        QTest::keySequence(&d.window, QKeySequence(Qt::CTRL | Qt::Key_4));
        QWidget *topics = d.tableOf(d.window.partitionsModel());
        QCOMPARE(focused(), topics);

        ModalDriver create({[](QWidget *dialog) {
                                QCOMPARE(dialog->windowTitle(), QStringLiteral("Create topic"));
                                const QStringList clashes = mnemonicClashes(dialog);
                                QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
                                type(QStringLiteral("audit"));
                                press(Qt::Key_Return);
                            },
                            [](QWidget *dialog) {
                                QCOMPARE(dialog->windowTitle(), QStringLiteral("Create topic"));   // the confirmation
                                press(Qt::Key_Escape);
                            }});
        QTest::keyClick(&d.window, Qt::Key_L, Qt::AltModifier);
        QTRY_VERIFY(Dashboard::openMenu());
        QTest::keyClick(Dashboard::openMenu(), Qt::Key_C);   // "&Create topic…"; returns when it is done
        QTRY_VERIFY(create.finished());
        QVERIFY(d.reactivate());
        QCOMPARE(focused(), topics);   // the keyboard is back where it was

        ModalDriver add({[](QWidget *dialog) {
            QCOMPARE(dialog->windowTitle(), QStringLiteral("Add node"));
            const QStringList clashes = mnemonicClashes(dialog);
            QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
            press(Qt::Key_Escape);
        }});
        QTest::keyClick(&d.window, Qt::Key_L, Qt::AltModifier);
        QTRY_VERIFY(Dashboard::openMenu());
        QTest::keyClick(Dashboard::openMenu(), Qt::Key_A);   // "&Add node…"
        QTRY_VERIFY(add.finished());
        QVERIFY(d.reactivate());
        QCOMPARE(focused(), topics);

        QVERIFY(d.syncWithServer());
        QCOMPARE(d.server.mutations().size(), size_t(0));
        QVERIFY(d.window.statusBar()->currentMessage().isEmpty());   // nothing was reported as done
    }

    void fileShortcutsOpenTheirDialogs_data()
    {
        QTest::addColumn<QKeySequence>("keys");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("filter");   // of a file dialog
        QTest::newRow("connect") << QKeySequence(Qt::CTRL | Qt::Key_O) << QStringLiteral("Connect to a Skiff cluster") << QString();
        QTest::newRow("export JSON") << QKeySequence(Qt::CTRL | Qt::Key_E) << QStringLiteral("Export chart data") << QStringLiteral("JSON (*.json)");
        QTest::newRow("export CSV") << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E) << QStringLiteral("Export chart data")
                                    << QStringLiteral("CSV (*.csv)");
        QTest::newRow("screenshot") << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S) << QStringLiteral("Save screenshot")
                                    << QStringLiteral("PNG images (*.png)");
    }
    void fileShortcutsOpenTheirDialogs()
    {
        QFETCH(QKeySequence, keys);
        QFETCH(QString, title);
        QFETCH(QString, filter);
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        ModalDriver driver({[&](QWidget *dialog) {
            QCOMPARE(dialog->windowTitle(), title);
            if (!filter.isEmpty()) {
                auto *files = qobject_cast<QFileDialog *>(dialog);
                QVERIFY(files);
                QCOMPARE(files->nameFilters(), QStringList{filter});
            }
            press(Qt::Key_Escape);
        }});
        QTest::keySequence(&d.window, keys);
        QTRY_VERIFY(driver.finished());
        QVERIFY(d.reactivate());
    }

    void refreshShortcutAsksForThePartitions()
    {
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        const int before = d.server.requestsReceived(admin::Request::kDescribePartitions);
        QVERIFY(before >= 1);
        QVERIFY(!QKeySequence(QKeySequence::Refresh).isEmpty());
        QTest::keySequence(&d.window, QKeySequence::Refresh);
        QTRY_COMPARE(d.server.requestsReceived(admin::Request::kDescribePartitions), before + 1);
    }

    void ctrlQCloses()
    {
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        QVERIFY(d.window.isVisible());
        QTest::keySequence(&d.window, QKeySequence(Qt::CTRL | Qt::Key_Q));
        QTRY_VERIFY(!d.window.isVisible());
    }

    // Tab goes from widget to widget (not from cell to cell) and comes back to the current tab's
    // table; Shift+Tab comes back; the nodes table is one Ctrl+6 away.
    void tablesAreReachedWithTab()
    {
        Dashboard d;
        QVERIFY(d.start());
        QTRY_VERIFY(d.ready());
        d.window.flushPendingUpdates();
        QTableView *nodes = d.tableOf(d.window.nodesModel());
        QTableView *brokers = d.tableOf(d.window.brokersModel());
        QVERIFY(nodes && brokers);
        QTRY_VERIFY(d.window.brokersModel()->rowCount() >= 3);

        QTest::keySequence(&d.window, QKeySequence(Qt::CTRL | Qt::Key_3));
        QCOMPARE(focused(), static_cast<QWidget *>(brokers));
        brokers->setCurrentIndex(d.window.brokersModel()->index(0, 0));
        // The arrows move within the table.
        QTest::keyClick(focused(), Qt::Key_Down);
        QCOMPARE(brokers->currentIndex().row(), 1);

        QList<QWidget *> visited;
        for (int i = 0; i < 12 && (visited.isEmpty() || focused() != brokers); ++i) {
            QTest::keyClick(focused(), Qt::Key_Tab);
            QVERIFY(focused());
            visited << focused();
        }
        QCOMPARE(visited.last(), static_cast<QWidget *>(brokers));   // around the window and back
        QVERIFY(visited.first() != brokers);                          // one Tab left the table
        QCOMPARE(brokers->currentIndex().row(), 1);                    // Tab did not move the cell

        QTest::keyClick(focused(), Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(focused(), visited.value(visited.size() - 2));

        QTest::keySequence(&d.window, QKeySequence(Qt::CTRL | Qt::Key_6));
        QCOMPARE(focused(), static_cast<QWidget *>(nodes));
    }
};

QTEST_MAIN(KeyboardTest)
#include "KeyboardTest.moc"
