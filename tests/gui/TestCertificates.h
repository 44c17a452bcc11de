#pragma once
// Certificates for the dashboard's TLS tests, made at test time with the openssl command line
// (as tests/e2e/tls_certs.py makes them): a CA, a node certificate for 127.0.0.1 and localhost,
// a client certificate whose key is encrypted, and what must be refused (another CA, a node
// certificate for another name).

#include <QString>
#include <QTemporaryDir>

namespace skiff::gui::test {

class TestCertificates {
public:
    // False (and error() says why) when openssl failed.
    bool make();
    const QString &error() const { return m_error; }

    QString file(const QString &name) const { return m_dir.filePath(name); }
    QString ca() const { return file(QStringLiteral("ca.pem")); }
    QString otherCa() const { return file(QStringLiteral("otherca.pem")); }
    QString nodeCert() const { return file(QStringLiteral("node.pem")); }
    QString nodeKey() const { return file(QStringLiteral("node.key")); }
    QString elsewhereCert() const { return file(QStringLiteral("elsewhere.pem")); }   // for DNS:elsewhere.invalid only
    QString elsewhereKey() const { return file(QStringLiteral("elsewhere.key")); }
    QString clientCert() const { return file(QStringLiteral("dashboard.pem")); }   // CN=dashboard
    QString clientKey() const { return file(QStringLiteral("dashboard.key")); }   // encrypted
    static QString clientKeyPassphrase() { return QStringLiteral("key-s3cret"); }

private:
    bool openssl(const QStringList &arguments);
    bool makeCa(const QString &name);
    bool makeCert(const QString &name, const QString &ca, const QString &extension, const QString &passphrase = {});

    QTemporaryDir m_dir;
    QString m_error;
    int m_serial = 1;
};

} // namespace skiff::gui::test
