// The action dialogs and the connect dialog driven as a user drives them: the dialog is found
// when it comes up, the keys go to whatever has the focus, Enter confirms and Escape cancels.
// What reaches the fake node (request, arguments, token) or the profile store is what is checked.
#include "FakeAdminServer.h"
#include "IsolatedSettings.h"
#include "Mnemonics.h"
#include "ModalDriver.h"
#include "TestCertificates.h"

#include "models/ClusterModel.h"
#include "models/ProfileStore.h"
#include "net/AdminAddress.h"
#include "net/ClusterClient.h"
#include "views/ActionsController.h"
#include "views/ConnectDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>


using namespace skiff;
using namespace skiff::gui;
using namespace skiff::gui::test;

namespace {

const QString kToken = QStringLiteral("s3cret");

// One fake node (node 1, the leader of voters 1, 2, 3, with two topics), a client that carries
// kToken, and the controller under a shown window as in the dashboard.
struct Cluster {
    FakeAdminServer server;
    ClusterClient client{[] {
        ClusterClient::Options o;
        o.discover = false;
        o.partitionsPollMs = 600000;   // only the explicit refreshes reach the fake
        o.connection.token = kToken;
        return o;
    }()};
    ClusterModel model;
    QWidget window;
    ActionsController actions{&client, &model, &window};
    QSignalSpy finished{&actions, &ActionsController::finished};

    bool start()
    {
        if (!server.listen())
            return false;
        server.status() = healthySnapshot(1, 1, 4, {server.address()});
        for (const char *topic : {"orders", "payments"}) {
            admin::Partition *p = server.partitions().add_partitions();
            p->set_topic(topic);
            p->set_leader(1);
            p->set_state(admin::PARTITION_STATE_OK);
            p->add_replicas(1);
        }
        model.attach(&client);
        window.resize(400, 300);
        window.show();
        client.connectTo({server.address()});
        return true;
    }
    bool ready() const { return model.isFullyUpdated() && model.leaderId() == 1 && model.hasPartitions(); }

    // A GetStatus answered on the same connection: whatever the controller sent before it has
    // reached the fake by then, so "nothing was sent" is a fact, not a guess after a sleep.
    bool syncWithServer()
    {
        bool answered = false;
        admin::Request ping;
        ping.mutable_get_status();
        client.call(std::move(ping), [&answered](Result<admin::Response>) { answered = true; });
        return QTest::qWaitFor([&] { return answered; }, 5000);
    }
};

// The first dialog of each action, filled as a user fills it.
void chooseItem(const QString &item)
{
    auto *combo = qobject_cast<QComboBox *>(focused());
    QVERIFY2(combo, "the choice has the focus");
    type(item);   // the combo box's keyboard search
    QCOMPARE(combo->currentText(), item);
    press(Qt::Key_Return);
}

struct ActionCase {
    void (ActionsController::*run)();
    QString title;                            // of the first dialog
    ModalDriver::Step fill;                   // fills it and presses Enter
    QString question;                         // a part of the confirmation
    std::function<void(const admin::Request &)> check;
};

ActionCase actionCase(const QString &name)
{
    if (name == QLatin1String("transfer leadership"))
        return {&ActionsController::transferLeader, QStringLiteral("Transfer leadership"), [](QWidget *) { chooseItem(QStringLiteral("3")); },
                QStringLiteral("from node 1 to node 3"), [](const admin::Request &r) {
                    QVERIFY(r.has_transfer_leader());
                    QCOMPARE(r.transfer_leader().to(), uint64_t(3));
                }};
    if (name == QLatin1String("add node"))
        return {&ActionsController::addNode, QStringLiteral("Add node"),
                [](QWidget *) {
                    QVERIFY(qobject_cast<QAbstractSpinBox *>(focused()));
                    typeOver(QStringLiteral("4"));
                    press(Qt::Key_Tab);
                    QVERIFY(qobject_cast<QLineEdit *>(focused()));
                    type(QStringLiteral("10.0.0.4:9093"));
                    press(Qt::Key_Return);
                },
                QStringLiteral("node 4 at 10.0.0.4:9093"), [](const admin::Request &r) {
                    QVERIFY(r.has_add_node());
                    QCOMPARE(r.add_node().id(), uint64_t(4));
                    QCOMPARE(r.add_node().raft_address(), std::string("10.0.0.4:9093"));
                }};
    if (name == QLatin1String("remove node"))
        return {&ActionsController::removeNode, QStringLiteral("Remove node"), [](QWidget *) { chooseItem(QStringLiteral("2")); },
                QStringLiteral("Remove node 2"), [](const admin::Request &r) {
                    QVERIFY(r.has_remove_node());
                    QCOMPARE(r.remove_node().id(), uint64_t(2));
                }};
    if (name == QLatin1String("create topic"))
        return {&ActionsController::createTopic, QStringLiteral("Create topic"),
                [](QWidget *) {
                    QVERIFY(qobject_cast<QLineEdit *>(focused()));
                    type(QStringLiteral("invoices"));
                    press(Qt::Key_Tab);
                    typeOver(QStringLiteral("6"));
                    press(Qt::Key_Tab);
                    typeOver(QStringLiteral("3"));
                    press(Qt::Key_Return);
                },
                QStringLiteral("'invoices' with 6 partition(s)"), [](const admin::Request &r) {
                    QVERIFY(r.has_create_topic());
                    QCOMPARE(r.create_topic().name(), std::string("invoices"));
                    QCOMPARE(r.create_topic().partitions(), 6);
                    QCOMPARE(r.create_topic().replication_factor(), 3);
                }};
    return {&ActionsController::deleteTopic, QStringLiteral("Delete topic"), [](QWidget *) { chooseItem(QStringLiteral("payments")); },
            QStringLiteral("'payments'"), [](const admin::Request &r) {
                QVERIFY(r.has_delete_topic());
                QCOMPARE(r.delete_topic().name(), std::string("payments"));
            }};
}

// Runs the first dialog through `fill` after checking it is the one expected.
ModalDriver::Step firstDialog(const ActionCase &c)
{
    return [c](QWidget *dialog) {
        QCOMPARE(dialog->windowTitle(), c.title);
        c.fill(dialog);
    };
}

// The confirmation: asks what the user chose, and answers with one key.
ModalDriver::Step confirmation(const ActionCase &c, int key)
{
    return [c, key](QWidget *dialog) {
        auto *box = qobject_cast<QMessageBox *>(dialog);
        QVERIFY2(box, qPrintable(dialog->metaObject()->className()));
        QVERIFY2(box->text().contains(c.question), qPrintable(box->text()));
        press(key);
    };
}

void addActionRows()
{
    QTest::addColumn<QString>("action");
    for (const char *name : {"transfer leadership", "add node", "remove node", "create topic", "delete topic"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

Profile savedProfile(const QString &name, const QString &address, const QString &token, int missMs, int rateHz)
{
    Profile p;
    p.name = name;
    p.addresses = QStringList{address};
    p.token = token;
    p.watchdogMissMs = missMs;
    p.rateHz = rateHz;
    return p;
}

QLabel *errorLabel(QWidget *dialog) { return dialog->findChild<QLabel *>(QStringLiteral("error")); }

} // namespace

class DialogsTest : public QObject {
    Q_OBJECT
    IsolatedSettings m_settings;

private slots:
    void initTestCase() { QVERIFY(m_settings.activate(QStringLiteral("test_gui_dialogs"))); }
    void init() { QSettings().clear(); }
    void cleanup()
    {
        ModalDriver::rejectAllModals();
        QSettings().clear();
    }

    // ---- ActionsController ------------------------------------------------------------------

    void actionSendsWhatTheUserConfirmed_data() { addActionRows(); }
    void actionSendsWhatTheUserConfirmed()
    {
        QFETCH(QString, action);
        const ActionCase c = actionCase(action);
        Cluster cluster;
        QVERIFY(cluster.start());
        QTRY_VERIFY(cluster.ready());

        // "Y" is the Yes button's mnemonic; Enter would take the default, Cancel.
        ModalDriver driver({firstDialog(c), confirmation(c, Qt::Key_Y)});
        (cluster.actions.*c.run)();
        QVERIFY2(driver.finished(), qPrintable(driver.unexpected().join(QLatin1Char(','))));

        QTRY_COMPARE(cluster.finished.size(), 1);
        QCOMPARE(cluster.server.mutations().size(), size_t(1));
        const admin::Request &sent = cluster.server.mutations().front();
        c.check(sent);
        QCOMPARE(QString::fromStdString(sent.token()), kToken);
        QVERIFY2(cluster.finished[0][0].toString().contains(QStringLiteral("done by the fake")), qPrintable(cluster.finished[0][0].toString()));
        QCOMPARE(cluster.finished[0][1].toBool(), true);
    }

    void actionCancelledAtTheConfirmationSendsNothing_data() { addActionRows(); }
    void actionCancelledAtTheConfirmationSendsNothing()
    {
        QFETCH(QString, action);
        const ActionCase c = actionCase(action);
        Cluster cluster;
        QVERIFY(cluster.start());
        QTRY_VERIFY(cluster.ready());

        ModalDriver escape({firstDialog(c), confirmation(c, Qt::Key_Escape)});
        (cluster.actions.*c.run)();
        QVERIFY(escape.finished());
        // Enter on the confirmation is its default button, Cancel: a reflexive Enter is harmless.
        ModalDriver enter({firstDialog(c), confirmation(c, Qt::Key_Return)});
        (cluster.actions.*c.run)();
        QVERIFY(enter.finished());

        QVERIFY(cluster.syncWithServer());
        QCOMPARE(cluster.server.mutations().size(), size_t(0));
        QCOMPARE(cluster.finished.size(), 0);
    }

    void actionCancelledAtTheFirstDialogAsksNothingMore_data() { addActionRows(); }
    void actionCancelledAtTheFirstDialogAsksNothingMore()
    {
        QFETCH(QString, action);
        const ActionCase c = actionCase(action);
        Cluster cluster;
        QVERIFY(cluster.start());
        QTRY_VERIFY(cluster.ready());

        // A confirmation after Escape would be an unexpected dialog.
        ModalDriver driver({[c](QWidget *dialog) {
            QCOMPARE(dialog->windowTitle(), c.title);
            press(Qt::Key_Escape);
        }});
        (cluster.actions.*c.run)();
        QVERIFY2(driver.finished(), qPrintable(driver.unexpected().join(QLatin1Char(','))));
        QVERIFY(cluster.syncWithServer());
        QCOMPARE(cluster.server.mutations().size(), size_t(0));
        QCOMPARE(cluster.finished.size(), 0);
    }

    void wrongTokenIsReportedWithTheNodesMessage()
    {
        const ActionCase c = actionCase(QStringLiteral("remove node"));
        Cluster cluster;
        QVERIFY(cluster.start());
        cluster.server.setRequiredToken(QStringLiteral("another"));
        QTRY_VERIFY(cluster.ready());

        ModalDriver driver({firstDialog(c), confirmation(c, Qt::Key_Y)});
        cluster.actions.removeNode();
        QVERIFY(driver.finished());
        QTRY_COMPARE(cluster.finished.size(), 1);
        const QString message = cluster.finished[0][0].toString();
        QVERIFY2(message.contains(QStringLiteral("remove node 2 refused")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("needs the node's admin.token")), qPrintable(message));
        QCOMPARE(cluster.finished[0][1].toBool(), false);
        QCOMPARE(cluster.server.mutations().size(), size_t(1));
        QCOMPARE(QString::fromStdString(cluster.server.mutations().front().token()), kToken);
    }

    // The partitions are fetched again once the node has answered Done: fetched with the
    // request, the table could come back without the topic just created. A refusal fetches nothing.
    void topicsAreFetchedAgainOnlyAfterTheNodeAnsweredDone_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<bool>("refused");
        for (const char *name : {"create topic", "delete topic"}) {
            QTest::addRow("%s, done", name) << QString::fromLatin1(name) << false;
            QTest::addRow("%s, refused", name) << QString::fromLatin1(name) << true;
        }
    }
    void topicsAreFetchedAgainOnlyAfterTheNodeAnsweredDone()
    {
        QFETCH(QString, action);
        QFETCH(bool, refused);
        const ActionCase c = actionCase(action);
        Cluster cluster;
        QVERIFY(cluster.start());
        if (refused)
            cluster.server.refuseMutations(admin::ERROR_CODE_INVALID_REQUEST, QStringLiteral("no"));
        QTRY_VERIFY(cluster.ready());
        QVERIFY(cluster.syncWithServer());
        const int before = cluster.server.requestsReceived(admin::Request::kDescribePartitions);
        int atAnswer = -1;
        connect(&cluster.actions, &ActionsController::finished, this, [&] {
            atAnswer = cluster.server.requestsReceived(admin::Request::kDescribePartitions);
        });

        ModalDriver driver({firstDialog(c), confirmation(c, Qt::Key_Y)});
        (cluster.actions.*c.run)();
        QVERIFY(driver.finished());
        QTRY_COMPARE(cluster.finished.size(), 1);
        QCOMPARE(cluster.finished[0][1].toBool(), !refused);
        QCOMPARE(atAnswer, before);   // nothing was fetched with the request
        QVERIFY(cluster.syncWithServer());
        QCOMPARE(cluster.server.requestsReceived(admin::Request::kDescribePartitions), refused ? before : before + 1);
    }

    void transferWithNoLeaderKnownAsksNothing()
    {
        Cluster cluster;
        QVERIFY(cluster.start());
        QTRY_VERIFY(cluster.ready());
        cluster.server.status().set_leader_id(0);
        cluster.server.pushStatus();
        QTRY_COMPARE(cluster.model.leaderId(), uint64_t(0));

        ModalDriver driver({});   // any dialog would be unexpected
        cluster.actions.transferLeader();
        QVERIFY2(driver.unexpected().isEmpty(), qPrintable(driver.unexpected().join(QLatin1Char(','))));
        QCOMPARE(cluster.finished.size(), 1);
        QCOMPARE(cluster.finished[0][0].toString(), QStringLiteral("transfer leadership: no leader is known, so there is none to move"));
        QCOMPARE(cluster.finished[0][1].toBool(), false);
    }

    void errorStatusIsReportedWithTheNodesMessage()
    {
        const ActionCase c = actionCase(QStringLiteral("create topic"));
        Cluster cluster;
        QVERIFY(cluster.start());
        cluster.server.refuseMutations(admin::ERROR_CODE_ALREADY_EXISTS, QStringLiteral("topic 'invoices' already exists"));
        QTRY_VERIFY(cluster.ready());

        ModalDriver driver({firstDialog(c), confirmation(c, Qt::Key_Y)});
        cluster.actions.createTopic();
        QVERIFY(driver.finished());
        QTRY_COMPARE(cluster.finished.size(), 1);
        QCOMPARE(cluster.finished[0][0].toString(), QStringLiteral("create topic invoices refused: topic 'invoices' already exists"));
        QCOMPARE(cluster.finished[0][1].toBool(), false);
    }

    void unreachableClusterIsReported()
    {
        const ActionCase c = actionCase(QStringLiteral("delete topic"));
        Cluster cluster;
        QVERIFY(cluster.start());
        QTRY_VERIFY(cluster.ready());
        cluster.server.close();
        QTRY_VERIFY(cluster.model.nodes()[0].unreachable());

        ModalDriver driver({firstDialog(c), confirmation(c, Qt::Key_Y)});
        cluster.actions.deleteTopic();
        QVERIFY(driver.finished());
        QTRY_COMPARE(cluster.finished.size(), 1);
        const QString message = cluster.finished[0][0].toString();
        QVERIFY2(message.startsWith(QStringLiteral("delete topic payments failed: ")), qPrintable(message));
        QCOMPARE(cluster.finished[0][1].toBool(), false);
    }

    // OK stays disabled until the form can be sent: Enter on an unusable form changes nothing
    // and the dialog stays up, instead of closing as if the node had been asked.
    void addNodeWaitsForAUsableAddress()
    {
        Cluster cluster;
        QVERIFY(cluster.start());
        QTRY_VERIFY(cluster.ready());
        ModalDriver driver({[](QWidget *dialog) {
                                auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
                                typeOver(QStringLiteral("5"));
                                press(Qt::Key_Tab);
                                QVERIFY(!ok->isEnabled());
                                for (const QString &bad : {QStringLiteral("10.0.0.5"), QStringLiteral("10.0.0.5:raft"), QStringLiteral("10.0.0.5:0")}) {
                                    typeOver(bad);
                                    QVERIFY2(!ok->isEnabled(), qPrintable(bad));
                                    press(Qt::Key_Return);
                                    QVERIFY2(dialog->isVisible(), qPrintable(bad));
                                }
                                typeOver(QStringLiteral("10.0.0.5:9093"));
                                QVERIFY(ok->isEnabled());
                                press(Qt::Key_Return);
                            },
                            [](QWidget *) { press(Qt::Key_Y); }});
        cluster.actions.addNode();
        QVERIFY(driver.finished());
        QTRY_COMPARE(cluster.server.mutations().size(), size_t(1));
        QCOMPARE(cluster.server.mutations().front().add_node().raft_address(), std::string("10.0.0.5:9093"));
    }

    void createTopicWaitsForAName()
    {
        Cluster cluster;
        QVERIFY(cluster.start());
        QTRY_VERIFY(cluster.ready());
        ModalDriver driver({[](QWidget *dialog) {
                                auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
                                QVERIFY(!ok->isEnabled());
                                type(QStringLiteral("   "));
                                QVERIFY(!ok->isEnabled());
                                press(Qt::Key_Return);
                                QVERIFY(dialog->isVisible());
                                typeOver(QStringLiteral(" audit "));
                                QVERIFY(ok->isEnabled());
                                press(Qt::Key_Return);
                            },
                            [](QWidget *) { press(Qt::Key_Y); }});
        cluster.actions.createTopic();
        QVERIFY(driver.finished());
        QTRY_COMPARE(cluster.server.mutations().size(), size_t(1));
        QCOMPARE(cluster.server.mutations().front().create_topic().name(), std::string("audit"));
        QCOMPARE(cluster.server.mutations().front().create_topic().partitions(), 1);          // the form's default
        QCOMPARE(cluster.server.mutations().front().create_topic().replication_factor(), 0);  // "node default"
    }

    // ---- ConnectDialog ----------------------------------------------------------------------

    void typedProfileIsTheResultAndIsSaved()
    {
        ProfileStore store{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        ConnectDialog dialog(&store, Profile{});
        ModalDriver driver({[](QWidget *dialog) {
            const QStringList clashes = mnemonicClashes(dialog);
            QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
            QVERIFY(qobject_cast<QComboBox *>(focused()));   // the profile name comes first
            typeOver(QStringLiteral("staging"));
            press(Qt::Key_Tab);
            type(QStringLiteral("127.0.0.1:9094, [::1]:9095,"));
            press(Qt::Key_Tab);
            type(kToken);
            press(Qt::Key_Tab);
            typeOver(QStringLiteral("350"));
            press(Qt::Key_Tab);
            typeOver(QStringLiteral("5"));
            press(Qt::Key_Return);
        }});
        QCOMPARE(dialog.exec(), int(QDialog::Accepted));
        QVERIFY(driver.finished());

        const Profile p = dialog.profile();
        QCOMPARE(p.name, QStringLiteral("staging"));
        QCOMPARE(p.addresses, (QStringList{QStringLiteral("127.0.0.1:9094"), QStringLiteral("[::1]:9095")}));
        QCOMPARE(p.token, kToken);
        QCOMPARE(p.watchdogMissMs, 350);
        QCOMPARE(p.rateHz, 5);
        const auto saved = store.find(QStringLiteral("staging"));
        QVERIFY(saved);
        QCOMPARE(saved->addresses, p.addresses);
        QCOMPARE(saved->token, kToken);
        QCOMPARE(saved->watchdogMissMs, 350);
        QCOMPARE(saved->rateHz, 5);
        QCOMPARE(store.lastUsed(), QStringLiteral("staging"));
    }

    void tlsFilesAreTypedCheckedAndSaved()
    {
        TestCertificates certs;
        QVERIFY2(certs.make(), qPrintable(certs.error()));
        const QString missing = certs.file(QStringLiteral("missing-ca.pem"));
        ProfileStore store{SecretStore::Backend::SessionOnly};
        ConnectDialog dialog(&store, Profile{});
        ModalDriver driver({[&](QWidget *dialog) {
            const QStringList clashes = mnemonicClashes(dialog);
            QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
            auto *ca = dialog->findChild<QLineEdit *>(QStringLiteral("caFile"));
            QVERIFY(!ca->isEnabled());   // until TLS is ticked
            typeOver(QStringLiteral("secure"));
            press(Qt::Key_A, Qt::AltModifier);
            type(QStringLiteral("127.0.0.1:9094"));
            press(Qt::Key_L, Qt::AltModifier);   // "Use T&LS"
            QTRY_VERIFY(ca->isEnabled());
            press(Qt::Key_B, Qt::AltModifier);   // "CA &bundle"
            type(missing);
            press(Qt::Key_Return);
            QLabel *error = errorLabel(dialog);
            QVERIFY(dialog->isVisible());
            QVERIFY(error->isVisible());
            QVERIFY2(error->text().startsWith(QStringLiteral("CA file %1: ").arg(missing)), qPrintable(error->text()));
            QCOMPARE(focused(), static_cast<QWidget *>(ca));
            typeOver(certs.ca());
            press(Qt::Key_E, Qt::AltModifier);   // "Client c&ertificate"
            type(certs.clientCert());
            press(Qt::Key_K, Qt::AltModifier);   // "Client &key"
            type(certs.clientKey());
            press(Qt::Key_Return);
            QVERIFY2(error->text().contains(QStringLiteral("is encrypted: give its passphrase")), qPrintable(error->text()));
            QCOMPARE(focused(), static_cast<QWidget *>(dialog->findChild<QLineEdit *>(QStringLiteral("keyPassphrase"))));
            press(Qt::Key_H, Qt::AltModifier);   // "Key passp&hrase"
            type(TestCertificates::clientKeyPassphrase());
            press(Qt::Key_Return);
        }});
        QCOMPARE(dialog.exec(), int(QDialog::Accepted));
        QVERIFY(driver.finished());
        const auto saved = store.find(QStringLiteral("secure"));
        QVERIFY(saved);
        QVERIFY(saved->tls.enabled);
        QCOMPARE(saved->tls.caFile, certs.ca());
        QCOMPARE(saved->tls.certFile, certs.clientCert());
        QCOMPARE(saved->tls.keyFile, certs.clientKey());
        QCOMPARE(saved->tls.keyPassphrase, TestCertificates::clientKeyPassphrase());   // this session's
        QSettings().sync();
        QFile file(QSettings().fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.contains(certs.clientKey().toUtf8()), bytes.constData());
        QVERIFY2(!bytes.contains(TestCertificates::clientKeyPassphrase().toUtf8()), bytes.constData());
    }

    void untickingSaveStoresNothing()
    {
        ProfileStore store{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        ConnectDialog dialog(&store, Profile{});
        ModalDriver driver({[](QWidget *dialog) {
            auto *save = dialog->findChild<QCheckBox *>(QStringLiteral("save"));
            QVERIFY(save->isChecked());
            press(Qt::Key_A, Qt::AltModifier);   // "&Admin addresses"
            type(QStringLiteral("127.0.0.1:9094"));
            press(Qt::Key_S, Qt::AltModifier);   // "&Save as profile" (an animated click)
            QTRY_VERIFY(!save->isChecked());
            press(Qt::Key_Return);
        }});
        QCOMPARE(dialog.exec(), int(QDialog::Accepted));
        QVERIFY(driver.finished());
        QCOMPARE(dialog.profile().addresses, QStringList{QStringLiteral("127.0.0.1:9094")});
        QVERIFY(store.load().isEmpty());
        QVERIFY(store.lastUsed().isEmpty());
    }

    // Down from a name that is not saved reaches the first saved profile, then the next; each
    // fills the form. The dialog opened on a saved profile starts at that one.
    void choosingASavedProfileLoadsIt()
    {
        ProfileStore store{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        store.save(savedProfile(QStringLiteral("alpha"), QStringLiteral("10.0.0.1:9094"), QStringLiteral("ta"), 300, 4));
        store.save(savedProfile(QStringLiteral("beta"), QStringLiteral("10.0.0.2:9094"), QStringLiteral("tb"), 500, 10));
        ConnectDialog dialog(&store, Profile{});
        ModalDriver driver({[](QWidget *dialog) {
            auto *combo = qobject_cast<QComboBox *>(focused());
            QVERIFY(combo);
            QCOMPARE(combo->currentText(), QStringLiteral("local"));
            auto *addresses = dialog->findChild<QLineEdit *>(QStringLiteral("addresses"));
            press(Qt::Key_Down);
            QCOMPARE(combo->currentText(), QStringLiteral("alpha"));
            QCOMPARE(addresses->text(), QStringLiteral("10.0.0.1:9094"));
            press(Qt::Key_Down);
            QCOMPARE(combo->currentText(), QStringLiteral("beta"));
            press(Qt::Key_Return);
        }});
        QCOMPARE(dialog.exec(), int(QDialog::Accepted));
        QVERIFY(driver.finished());
        const Profile p = dialog.profile();
        QCOMPARE(p.name, QStringLiteral("beta"));
        QCOMPARE(p.addresses, QStringList{QStringLiteral("10.0.0.2:9094")});
        QCOMPARE(p.token, QStringLiteral("tb"));
        QCOMPARE(p.watchdogMissMs, 500);
        QCOMPARE(p.rateHz, 10);
        QCOMPARE(store.lastUsed(), QStringLiteral("beta"));

        ConnectDialog again(&store, *store.find(QStringLiteral("beta")));
        ModalDriver up({[](QWidget *) {
            press(Qt::Key_Up);
            press(Qt::Key_Return);
        }});
        QCOMPARE(again.exec(), int(QDialog::Accepted));
        QVERIFY(up.finished());
        QCOMPARE(again.profile().name, QStringLiteral("alpha"));
        QCOMPARE(again.profile().token, QStringLiteral("ta"));
    }

    // "Delete profile" removes the profile named in the box, from the store and the list, and
    // nothing when that name is not saved.
    void deleteProfileRemovesOnlyTheNamedOne()
    {
        ProfileStore store{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        store.save(savedProfile(QStringLiteral("alpha"), QStringLiteral("10.0.0.1:9094"), QString(), 200, 2));
        store.save(savedProfile(QStringLiteral("beta"), QStringLiteral("10.0.0.2:9094"), QString(), 200, 2));
        ConnectDialog dialog(&store, Profile{});
        ModalDriver driver({[](QWidget *dialog) {
            auto *combo = qobject_cast<QComboBox *>(focused());
            QVERIFY(combo);
            QPushButton *remove = nullptr;
            for (QPushButton *b : dialog->findChildren<QPushButton *>())
                if (b->text() == QLatin1String("&Delete profile"))
                    remove = b;
            QVERIFY(remove);
            QSignalSpy clicked(remove, &QPushButton::clicked);
            press(Qt::Key_D, Qt::AltModifier);   // "local" is not saved
            QTRY_COMPARE(clicked.size(), 1);      // an animated click: it lands a moment later
            QCOMPARE(combo->count(), 2);
            // Neither is a new name typed over a chosen one: alpha stays.
            press(Qt::Key_P, Qt::AltModifier);
            press(Qt::Key_Down);
            QCOMPARE(combo->currentText(), QStringLiteral("alpha"));
            typeOver(QStringLiteral("gamma"));
            press(Qt::Key_D, Qt::AltModifier);
            QTRY_COMPARE(clicked.size(), 2);
            QCOMPARE(combo->count(), 2);
            QCOMPARE(combo->itemText(0), QStringLiteral("alpha"));
            press(Qt::Key_P, Qt::AltModifier);   // back to "&Profile"
            press(Qt::Key_Down);
            press(Qt::Key_Down);
            QCOMPARE(combo->currentText(), QStringLiteral("beta"));
            press(Qt::Key_D, Qt::AltModifier);
            QTRY_COMPARE(combo->count(), 1);
            QCOMPARE(combo->itemText(0), QStringLiteral("alpha"));
            // The form still shows beta, not alpha's name over beta's fields.
            QCOMPARE(combo->currentText(), QStringLiteral("beta"));
            QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("addresses"))->text(), QStringLiteral("10.0.0.2:9094"));
            press(Qt::Key_Escape);
        }});
        QCOMPARE(dialog.exec(), int(QDialog::Rejected));
        QVERIFY(driver.finished());
        const QList<Profile> left = store.load();
        QCOMPARE(left.size(), 1);
        QCOMPARE(left[0].name, QStringLiteral("alpha"));
    }

    void unusableAddressesAreRefusedVisibly_data()
    {
        QTest::addColumn<QString>("addresses");
        QTest::addColumn<QString>("named");   // what the message must point at
        QTest::newRow("empty") << QString() << QStringLiteral("at least one admin address");
        QTest::newRow("blanks") << QStringLiteral(" , ") << QStringLiteral("at least one admin address");
        QTest::newRow("no port") << QStringLiteral("localhost") << QStringLiteral("localhost");
        QTest::newRow("port not a number") << QStringLiteral("host:notaport") << QStringLiteral("host:notaport");
        QTest::newRow("port out of range") << QStringLiteral("127.0.0.1:70000") << QStringLiteral("127.0.0.1:70000");
        QTest::newRow("no host") << QStringLiteral(":9094") << QStringLiteral(":9094");
        QTest::newRow("one bad of two") << QStringLiteral("127.0.0.1:9094, host:") << QStringLiteral("host:");
    }
    void unusableAddressesAreRefusedVisibly()
    {
        QFETCH(QString, addresses);
        QFETCH(QString, named);
        ProfileStore store{SecretStore::Backend::SessionOnly};   // never the desktop keyring of whoever runs the tests
        ConnectDialog dialog(&store, Profile{});
        ModalDriver driver({[&](QWidget *dialog) {
            QLabel *error = errorLabel(dialog);
            QVERIFY(error);
            QVERIFY(!error->isVisible());
            press(Qt::Key_A, Qt::AltModifier);
            typeOver(addresses);
            if (addresses.isEmpty())
                press(Qt::Key_Delete);
            press(Qt::Key_Return);
            QVERIFY(dialog->isVisible());
            QVERIFY(error->isVisible());
            QVERIFY2(error->text().contains(named), qPrintable(error->text()));
            // The focus is back where the fix is typed.
            QCOMPARE(focused(), static_cast<QWidget *>(dialog->findChild<QLineEdit *>(QStringLiteral("addresses"))));
            typeOver(QStringLiteral("127.0.0.1:9094"));
            QVERIFY(!error->isVisible());   // editing clears the complaint
            press(Qt::Key_Escape);
        }});
        QCOMPARE(dialog.exec(), int(QDialog::Rejected));
        QVERIFY(driver.finished());
        QVERIFY(store.load().isEmpty());
    }

    void addressRule_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("addresses");
        QTest::addColumn<bool>("ok");
        QTest::newRow("one") << QStringLiteral("127.0.0.1:9094") << QStringList{QStringLiteral("127.0.0.1:9094")} << true;
        QTest::newRow("v6") << QStringLiteral("[::1]:9094") << QStringList{QStringLiteral("[::1]:9094")} << true;
        QTest::newRow("spaces and blanks") << QStringLiteral(" a:1 ,, b:65535 , ")
                                           << QStringList{QStringLiteral("a:1"), QStringLiteral("b:65535")} << true;
        QTest::newRow("port 0") << QStringLiteral("a:0") << QStringList{QStringLiteral("a:0")} << false;
        QTest::newRow("empty v6 host") << QStringLiteral("[]:9094") << QStringList{QStringLiteral("[]:9094")} << false;
        QTest::newRow("nothing") << QStringLiteral(" ") << QStringList{} << false;
    }
    void addressRule()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, addresses);
        QFETCH(bool, ok);
        const AdminAddressList parsed = parseAdminAddresses(text);
        QCOMPARE(parsed.addresses, addresses);
        QCOMPARE(parsed.error.isEmpty(), ok);
    }
};

QTEST_MAIN(DialogsTest)
#include "DialogsTest.moc"
