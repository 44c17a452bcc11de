#include "admin/AdminClientTls.h"

#include "net/TlsSettings.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace skiff::admin {
namespace {

Result<QByteArray> readFile(const std::string &what, const std::string &path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return invalidArgument(what + " " + path + ": cannot read it: " + file.errorString().toStdString());
    return file.readAll();
}

bool mentions(const QString &text, const char *words) { return text.contains(QLatin1String(words), Qt::CaseInsensitive); }

} // namespace

Result<QSslConfiguration> loadAdminClientTls(const AdminClientTls &tls)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!tls.ca.empty()) {
        auto pem = readFile("CA file", tls.ca);
        if (!pem.isOk())
            return pem.status();
        const QList<QSslCertificate> cas = QSslCertificate::fromData(pem.value(), QSsl::Pem);
        if (cas.isEmpty())
            return invalidArgument("CA file " + tls.ca + ": no PEM certificate in it");
        config.setCaCertificates(cas);   // these alone: the cluster's CA, not every public one
    }
    if (tls.certificate.empty() != tls.key.empty())
        return invalidArgument(tls.certificate.empty() ? "a client key needs its certificate (skiffctl --cert FILE)"
                                                       : "a client certificate needs its key (skiffctl --key FILE)");
    if (tls.certificate.empty())
        return config;
    auto certPem = readFile("client certificate", tls.certificate);
    if (!certPem.isOk())
        return certPem.status();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem.value(), QSsl::Pem);
    if (chain.isEmpty())
        return invalidArgument("client certificate " + tls.certificate + ": no PEM certificate in it");
    auto keyPem = readFile("client key", tls.key);
    if (!keyPem.isOk())
        return keyPem.status();
    const QSslKey key = net::parsePrivateKey(keyPem.value(), tls.keyPassword);
    if (key.isNull())
        return invalidArgument("client key " + tls.key + ": no private key could be read from it"
                               + (tls.keyPassword.empty() ? " (encrypted? set $SKIFF_ADMIN_KEY_PASSWORD)"
                                                          : " (wrong $SKIFF_ADMIN_KEY_PASSWORD?)"));
    if (!net::privateKeyMatchesCertificate(keyPem.value(), tls.keyPassword, chain.front()))
        return invalidArgument("client key " + tls.key + ": it does not belong to the certificate in " + tls.certificate);
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    return config;
}

std::string describeTlsFailure(const std::string &address, const AdminClientTls &tls, const std::string &verifiedName,
                               const QList<QSslError> &verifyErrors, const QString &socketError, bool nodeClosed)
{
    QStringList found;
    for (const QSslError &e : verifyErrors) {
        if (e.error() == QSslError::HostNameMismatch) {
            const QStringList cn = e.certificate().subjectInfo(QSslCertificate::CommonName);
            return address + ": the node's certificate (CN=" + cn.join(',').toStdString() + ") is not made out for "
                   + verifiedName + " (pass --tls-server-name with a name it carries)";
        }
        found << e.errorString();
    }
    if (!found.isEmpty())
        return address + ": certificate verify failed: " + found.join(QStringLiteral("; ")).toStdString()
               + (tls.ca.empty() ? " (pass --ca with the cluster's CA)" : " (is --ca the cluster's CA?)");
    // What the node's TLS alert says (OpenSSL: "... tlsv13 alert certificate required").
    if (mentions(socketError, "certificate required")
        || (tls.certificate.empty() && mentions(socketError, "alert handshake failure")))
        return address + ": the node's admin socket wants a client certificate (admin.ssl.client.auth = required); pass "
                         "--cert and --key";
    if (mentions(socketError, "unknown ca") || mentions(socketError, "bad certificate")
        || mentions(socketError, "certificate unknown") || mentions(socketError, "certificate expired")
        || mentions(socketError, "unsupported certificate"))
        return address + ": the node refused the client certificate (" + socketError.toStdString()
               + "); is --cert signed by the cluster's CA (the node's ssl.ca.location)?";
    if (nodeClosed)
        return address + ": the node closed the connection in the TLS handshake: its admin socket speaks plaintext? "
                         "(admin.ssl.enable is false: leave out --tls, --ca, --cert and --key)";
    return address + ": TLS handshake failed: " + socketError.toStdString();
}

} // namespace skiff::admin
