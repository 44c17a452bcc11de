#include "admin/AdminClientTls.h"

#include "net/TlsSettings.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QStringList>

namespace skiff::admin {
namespace {

Result<QByteArray> readFile(const std::string &what, const std::string &path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return invalidArgument(what + " " + path + ": cannot read it: " + file.errorString().toStdString());
    return file.readAll();
}

Result<QList<QSslCertificate>> readCertificates(const std::string &what, const std::string &path)
{
    auto pem = readFile(what, path);
    if (!pem.isOk())
        return pem.status();
    QList<QSslCertificate> certificates = QSslCertificate::fromData(pem.value(), QSsl::Pem);
    if (certificates.isEmpty())
        return invalidArgument(what + " " + path + ": no PEM certificate in it");
    return certificates;
}

Result<QSslKey> readPrivateKey(const AdminClientTls &tls, const QSslCertificate &certificate, const TlsFixWords &words)
{
    auto pem = readFile("key file", tls.key);
    if (!pem.isOk())
        return pem.status();
    if (!pem->contains("PRIVATE KEY"))
        return invalidArgument("key file " + tls.key + ": no PEM private key in it");
    const QSslKey key = net::parsePrivateKey(*pem, tls.keyPassword);
    if (!key.isNull()) {
        // Else every handshake would fail with a vague "private key does not certify public key".
        if (!net::privateKeyMatchesCertificate(*pem, tls.keyPassword, certificate))
            return invalidArgument("key file " + tls.key + " is not the key of certificate " + tls.certificate);
        return key;
    }
    if (pem->contains("ENCRYPTED"))
        return invalidArgument(tls.keyPassword.empty()
                                   ? "key file " + tls.key + " is encrypted: give its passphrase (" + words.keyPassphrase + ")"
                                   : "key file " + tls.key + ": the passphrase given does not decrypt it");
    return invalidArgument("key file " + tls.key + ": no PEM private key (RSA, EC or DSA) in it");
}

bool mentions(const QString &text, const char *words) { return text.contains(QLatin1String(words), Qt::CaseInsensitive); }

} // namespace

Result<QSslConfiguration> loadAdminClientTls(const AdminClientTls &tls, const TlsFixWords &words)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!tls.ca.empty()) {
        auto cas = readCertificates("CA file", tls.ca);
        if (!cas.isOk())
            return cas.status();
        config.setCaCertificates(*cas);   // these alone: the cluster's CA, not every public one
    }
    if (tls.certificate.empty() != tls.key.empty())
        return invalidArgument("a client certificate needs both the certificate and its key (" + words.certificateAndKey + ")");
    if (tls.certificate.empty())
        return config;
    auto chain = readCertificates("certificate file", tls.certificate);
    if (!chain.isOk())
        return chain.status();
    auto key = readPrivateKey(tls, chain->front(), words);
    if (!key.isOk())
        return key.status();
    config.setLocalCertificateChain(*chain);
    config.setPrivateKey(*key);
    return config;
}

std::string describeVerifyErrors(const QList<QSslError> &verifyErrors, const AdminClientTls &tls,
                                 const std::string &verifiedName, const TlsFixWords &words)
{
    QStringList found;
    for (const QSslError &e : verifyErrors)
        if (e.error() != QSslError::HostNameMismatch && !found.contains(e.errorString()))
            found << e.errorString();
    // Anything but a name mismatch is most often a CA that is not the cluster's.
    if (!found.isEmpty())
        return "certificate verify failed: " + found.join(QStringLiteral("; ")).toStdString() + " ("
               + (tls.ca.empty() ? words.noCa : words.wrongCa) + ")";
    // A name mismatch alone: a certificate of the cluster, made out for other names.
    for (const QSslError &e : verifyErrors) {
        const QStringList cn = e.certificate().subjectInfo(QSslCertificate::CommonName);
        return "certificate verify failed: the node's certificate (CN=" + cn.join(',').toStdString()
               + ") is not made out for " + verifiedName + " (" + words.otherName + ")";
    }
    return "certificate verify failed";
}

std::string describeTlsFailure(const std::string &address, const AdminClientTls &tls, const std::string &verifiedName,
                               const QList<QSslError> &verifyErrors, const QString &socketError, bool nodeClosed,
                               const TlsFixWords &words)
{
    if (!verifyErrors.isEmpty())
        return address + ": " + describeVerifyErrors(verifyErrors, tls, verifiedName, words);
    // What the node's TLS alert says (OpenSSL: "... tlsv13 alert certificate required").
    if (mentions(socketError, "certificate required")
        || (tls.certificate.empty() && mentions(socketError, "alert handshake failure")))
        return address + ": the node's admin socket wants a client certificate (admin.ssl.client.auth = required); pass "
               + words.certificateAndKey;
    if (mentions(socketError, "unknown ca") || mentions(socketError, "bad certificate")
        || mentions(socketError, "certificate unknown") || mentions(socketError, "certificate expired")
        || mentions(socketError, "unsupported certificate"))
        return address + ": the node refused the client certificate (" + socketError.toStdString()
               + "); is it signed by the cluster's CA (the node's ssl.ca.location)?";
    if (nodeClosed)
        return address + ": the node closed the connection in the TLS handshake: its admin socket speaks plaintext? ("
               + words.plaintextNode + ")";
    return address + ": TLS handshake failed: " + socketError.toStdString();
}

} // namespace skiff::admin
