// NodeConnection's TLS against an in-process TLS admin socket (FakeAdminServer on QSslServer) with
// certificates openssl makes for the run: the node verified against the CA and the address's host,
// a client certificate with an encrypted key presented to a node that requires one, and each way
// it goes wrong said in one line that names what to change (never the address: the model adds it).
#include "FakeAdminServer.h"
#include "TestCertificates.h"

#include "net/AdminTls.h"
#include "net/NodeConnection.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QTest>

using namespace skiff;
using namespace skiff::gui;
using namespace skiff::gui::test;

namespace {

constexpr int kWaitMs = 30000;   // bound on a handshake to finish or fail (a hang fails, not a slow machine)

QSslConfiguration nodeTls(const TestCertificates &certs, QSslSocket::PeerVerifyMode clientAuth, const QString &cert, const QString &key)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(QSslCertificate::fromPath(cert));
    QFile keyFile(key);
    if (keyFile.open(QIODevice::ReadOnly))
        config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    config.setCaCertificates(QSslCertificate::fromPath(certs.ca()));
    config.setPeerVerifyMode(clientAuth);   // VerifyPeer: admin.ssl.client.auth=required
    return config;
}

NodeConnection::Options withTls(AdminTls tls)
{
    NodeConnection::Options o;
    o.tls = std::move(tls);
    o.initialBackoffMs = 60000;   // one attempt per test: the line checked is the first failure's
    return o;
}

} // namespace

class TlsConnectionTest : public QObject {
    Q_OBJECT
    TestCertificates m_certs;

    // A TLS node with the given certificate, answering as node 1.
    bool startNode(FakeAdminServer &server, QSslSocket::PeerVerifyMode clientAuth, QString cert = {}, QString key = {})
    {
        server.setTls(nodeTls(m_certs, clientAuth, cert.isEmpty() ? m_certs.nodeCert() : cert, key.isEmpty() ? m_certs.nodeKey() : key));
        if (!server.listen())
            return false;
        server.status() = healthySnapshot(1, 1, 3, {server.address()});
        return true;
    }

    AdminTls caOnly(const QString &ca) const
    {
        AdminTls tls;
        tls.enabled = true;
        tls.caFile = ca;
        return tls;
    }

private slots:
    void initTestCase() { QVERIFY2(m_certs.make(), qPrintable(m_certs.error())); }

    void theNodeIsVerifiedAgainstTheCa()
    {
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyNone));
        NodeConnection connection(server.address(), withTls(caOnly(m_certs.ca())));
        QSignalSpy snapshots(&connection, &NodeConnection::statusReceived);
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty() || connection.failures() > 0, kWaitMs);
        QVERIFY2(connection.failures() == 0, qPrintable(connection.lastError()));
        QCOMPARE(connection.state(), NodeConnection::State::Streaming);
        QCOMPARE(snapshots.first().first().value<admin::StatusSnapshot>().node_id(), uint64_t(1));
        // QSslServer hands over only connections whose handshake completed: the Subscribe came over TLS.
        QCOMPARE(server.requestsReceived(admin::Request::kSubscribe), 1);
        QCOMPARE(server.clientCertificates(), QStringList{QString()});   // none asked, none sent
    }

    void aNodeOfAnotherCaIsRefusedInOneLine()
    {
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyNone));
        NodeConnection connection(server.address(), withTls(caOnly(m_certs.otherCa())));
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.failures() > 0, kWaitMs);
        const QString line = connection.lastError();
        QVERIFY2(line.startsWith(QStringLiteral("certificate verify failed: ")), qPrintable(line));
        QVERIFY2(line.endsWith(QStringLiteral("(is the CA the cluster's?)")), qPrintable(line));
        QVERIFY2(!line.contains(server.address()), qPrintable(line));
        QCOMPARE(connection.state(), NodeConnection::State::Backoff);
        QCOMPARE(server.requestsReceived(admin::Request::kSubscribe), 0);
    }

    void aNodeCertificateForAnotherNameIsRefused()
    {
        // Signed by the cluster's CA, but made out for elsewhere.invalid, not 127.0.0.1.
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyNone, m_certs.elsewhereCert(), m_certs.elsewhereKey()));
        NodeConnection connection(server.address(), withTls(caOnly(m_certs.ca())));
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.failures() > 0, kWaitMs);
        const QString line = connection.lastError();
        QVERIFY2(line.startsWith(QStringLiteral("certificate verify failed: ")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("connect by a name or address the node's certificate carries")), qPrintable(line));
        QCOMPARE(server.requestsReceived(admin::Request::kSubscribe), 0);
    }

    void theClientCertificateIsPresentedToANodeThatRequiresIt()
    {
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyPeer));
        AdminTls tls = caOnly(m_certs.ca());
        tls.certFile = m_certs.clientCert();
        tls.keyFile = m_certs.clientKey();
        tls.keyPassphrase = TestCertificates::clientKeyPassphrase();
        NodeConnection connection(server.address(), withTls(tls));
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.state() == NodeConnection::State::Streaming || connection.failures() > 0, kWaitMs);
        QVERIFY2(connection.failures() == 0, qPrintable(connection.lastError()));
        QCOMPARE(server.clientCertificates(), QStringList{QStringLiteral("dashboard")});
        QCOMPARE(server.requestsReceived(admin::Request::kSubscribe), 1);
    }

    void withoutAClientCertificateARequiringNodeRefuses()
    {
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyPeer));
        NodeConnection connection(server.address(), withTls(caOnly(m_certs.ca())));
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.failures() > 0, kWaitMs);
        const QString line = connection.lastError();
        QVERIFY2(line.contains(QStringLiteral("does the node require a client certificate? give --cert and --key")), qPrintable(line));
        QVERIFY2(!line.contains(server.address()), qPrintable(line));
        QVERIFY(server.clientCertificates().isEmpty());
        QCOMPARE(server.requestsReceived(admin::Request::kSubscribe), 0);
    }

    void aDashboardWithoutTlsIsToldToTurnItOn()
    {
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyNone));
        NodeConnection::Options plain;
        plain.initialBackoffMs = 60000;
        NodeConnection connection(server.address(), plain);
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.failures() > 0, kWaitMs);
        QVERIFY2(connection.lastError().contains(QStringLiteral("turn on TLS in the profile")), qPrintable(connection.lastError()));
        QCOMPARE(server.requestsReceived(admin::Request::kSubscribe), 0);
    }

    void aNodeRefusingTheConnectionIsQuotedInItsWords()
    {
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyNone));
        const QString words = QStringLiteral("the admin socket wants a client certificate (admin.ssl.client.auth = required)");
        server.refuseConnections(admin::ERROR_CODE_UNAUTHORIZED, words);
        NodeConnection connection(server.address(), withTls(caOnly(m_certs.ca())));
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.failures() > 0, kWaitMs);
        QCOMPARE(connection.lastError(), words);
    }

    void aPlaintextNodeIsNamedAsSuch()
    {
        FakeAdminServer server;   // no TLS: takes the ClientHello for an oversized frame and closes
        QVERIFY(server.listen());
        server.status() = healthySnapshot(1, 1, 3, {server.address()});
        NodeConnection connection(server.address(), withTls(caOnly(m_certs.ca())));
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.failures() > 0, kWaitMs);
        QVERIFY2(connection.lastError().contains(QStringLiteral("is TLS on at its admin socket, admin.ssl.enable?")),
                 qPrintable(connection.lastError()));
    }

    void unusableFilesAreSaidWithTheFileAndTheFix()
    {
        AdminTls tls = caOnly(m_certs.ca());
        tls.certFile = m_certs.clientCert();
        tls.keyFile = m_certs.clientKey();
        QVERIFY(adminSslConfiguration(tls).isOk() == false);
        QCOMPARE(QString::fromStdString(adminSslConfiguration(tls).status().message()),
                 QStringLiteral("key file %1 is encrypted: give its passphrase ($SKIFF_ADMIN_KEY_PASSWORD, or the profile's Key passphrase)")
                     .arg(m_certs.clientKey()));
        tls.keyPassphrase = QStringLiteral("not-the-passphrase");
        QCOMPARE(QString::fromStdString(adminSslConfiguration(tls).status().message()),
                 QStringLiteral("key file %1: the passphrase given does not decrypt it").arg(m_certs.clientKey()));
        tls.keyPassphrase = TestCertificates::clientKeyPassphrase();
        QVERIFY(adminSslConfiguration(tls).isOk());
        tls.keyFile = m_certs.nodeKey();   // another certificate's key
        QCOMPARE(QString::fromStdString(adminSslConfiguration(tls).status().message()),
                 QStringLiteral("key file %1 is not the key of certificate %2").arg(m_certs.nodeKey(), m_certs.clientCert()));
        AdminTls missing = caOnly(m_certs.file(QStringLiteral("nowhere.pem")));
        const QString line = QString::fromStdString(adminSslConfiguration(missing).status().message());
        QVERIFY2(line.startsWith(QStringLiteral("CA file %1: ").arg(missing.caFile)), qPrintable(line));

        // At connect time the same line is the node's, and nothing is dialled.
        FakeAdminServer server;
        QVERIFY(startNode(server, QSslSocket::VerifyNone));
        NodeConnection connection(server.address(), withTls(missing));
        connection.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.failures() > 0, kWaitMs);
        QCOMPARE(connection.lastError(), line);
        QCOMPARE(server.connectionsAccepted(), 0);
    }
};

QTEST_GUILESS_MAIN(TlsConnectionTest)
#include "TlsConnectionTest.moc"
