#include "net/AdminTls.h"

#include "net/TlsSettings.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>

namespace skiff::gui {
namespace {

Result<QByteArray> readFile(const QString &what, const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("%1 %2: %3").arg(what, path, f.errorString()).toStdString());
    return f.readAll();
}

Result<QList<QSslCertificate>> readCertificates(const QString &what, const QString &path)
{
    auto pem = readFile(what, path);
    if (!pem.isOk())
        return pem.status();
    QList<QSslCertificate> certificates = QSslCertificate::fromData(*pem, QSsl::Pem);
    if (certificates.isEmpty())
        return invalidArgument(QStringLiteral("%1 %2: no PEM certificate in it").arg(what, path).toStdString());
    return certificates;
}

Result<QSslKey> readPrivateKey(const QString &path, const QString &passphrase, const QSslCertificate &certificate, const QString &certPath)
{
    auto pem = readFile(QStringLiteral("key file"), path);
    if (!pem.isOk())
        return pem.status();
    if (!pem->contains("PRIVATE KEY"))
        return invalidArgument(QStringLiteral("key file %1: no PEM private key in it").arg(path).toStdString());
    const QSslKey key = net::parsePrivateKey(*pem, passphrase.toStdString());
    if (!key.isNull()) {
        // Else every handshake would fail with a vague "private key does not certify public key".
        if (!net::privateKeyMatchesCertificate(*pem, passphrase.toStdString(), certificate))
            return invalidArgument(QStringLiteral("key file %1 is not the key of certificate %2").arg(path, certPath).toStdString());
        return key;
    }
    if (pem->contains("ENCRYPTED")) {
        return invalidArgument(
            (passphrase.isEmpty()
                 ? QStringLiteral("key file %1 is encrypted: give its passphrase ($SKIFF_ADMIN_KEY_PASSWORD, or the profile's Key passphrase)")
                 : QStringLiteral("key file %1: the passphrase given does not decrypt it"))
                .arg(path)
                .toStdString());
    }
    return invalidArgument(QStringLiteral("key file %1: no PEM private key (RSA, EC or DSA) in it").arg(path).toStdString());
}

} // namespace

Result<QSslConfiguration> adminSslConfiguration(const AdminTls &tls)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!tls.caFile.isEmpty()) {
        auto cas = readCertificates(QStringLiteral("CA file"), tls.caFile);
        if (!cas.isOk())
            return cas.status();
        // Only the cluster's CA: a certificate some public CA signed is not the cluster's node.
        config.setCaCertificates(*cas);
    }
    if (tls.certFile.isEmpty() != tls.keyFile.isEmpty())
        return invalidArgument("a client certificate needs both the certificate and its key (--cert and --key)");
    if (!tls.certFile.isEmpty()) {
        auto chain = readCertificates(QStringLiteral("certificate file"), tls.certFile);
        if (!chain.isOk())
            return chain.status();
        auto key = readPrivateKey(tls.keyFile, tls.keyPassphrase, chain->first(), tls.certFile);
        if (!key.isOk())
            return key.status();
        config.setLocalCertificateChain(*chain);
        config.setPrivateKey(*key);
    }
    return config;
}

QString describeVerifyErrors(const QList<QSslError> &errors)
{
    QStringList lines;
    bool nameOnly = true;
    for (const QSslError &e : errors) {
        if (!lines.contains(e.errorString()))
            lines << e.errorString();
        nameOnly = nameOnly && e.error() == QSslError::HostNameMismatch;
    }
    // A name mismatch alone is a certificate of the cluster made out for other names; anything
    // else is most often a CA that is not the cluster's.
    const QString hint = nameOnly ? QStringLiteral("connect by a name or address the node's certificate carries")
                                  : QStringLiteral("is the CA the cluster's?");
    return QStringLiteral("certificate verify failed: %1 (%2)").arg(lines.join(QStringLiteral("; ")), hint);
}

} // namespace skiff::gui
