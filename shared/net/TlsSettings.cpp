#include "net/TlsSettings.h"

#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace skiff::net {
namespace {

Result<QByteArray> readFile(const char *what, const std::string &path)
{
    if (path.empty())
        return invalidArgument(std::string(what) + " is not set");
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return invalidArgument(std::string(what) + " " + path + ": cannot read it: " + file.errorString().toStdString());
    return file.readAll();
}

std::string isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate).toStdString();
}

} // namespace

// Qt cannot tell whether a private key belongs to a certificate; OpenSSL (the library Qt's TLS
// backend uses) can.
bool privateKeyMatchesCertificate(const QByteArray &keyPem, const std::string &password, const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const unsigned char *p = reinterpret_cast<const unsigned char *>(der.constData());
    std::unique_ptr<X509, decltype(&X509_free)> x509(d2i_X509(nullptr, &p, der.size()), X509_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), BIO_free);
    if (!x509 || !bio)
        return false;
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char *>(password.c_str())), EVP_PKEY_free);
    return key && X509_check_private_key(x509.get(), key.get()) == 1;
}

QSslKey parsePrivateKey(const QByteArray &pem, const std::string &password)
{
    const QByteArray pass = QByteArray::fromStdString(password);
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey, pass);
        if (!key.isNull())
            return key;
    }
    return {};
}

Result<ClientAuth> parseClientAuth(const std::string &text, const std::string &key)
{
    if (text == "none")
        return ClientAuth::None;
    if (text == "requested")
        return ClientAuth::Requested;
    if (text == "required")
        return ClientAuth::Required;
    return invalidArgument(key + " must be none, requested or required, got '" + text + "'");
}

Result<QSslConfiguration> loadServerTls(const TlsFiles &files, const QDateTime &now)
{
    auto certPem = readFile("ssl.certificate.location", files.certificate);
    if (!certPem.isOk())
        return certPem.status();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem.value(), QSsl::Pem);
    if (chain.isEmpty() || chain.front().isNull())
        return invalidArgument("ssl.certificate.location " + files.certificate + ": no PEM certificate in it");
    const QSslCertificate &own = chain.front();
    if (now < own.effectiveDate())
        return invalidArgument("ssl.certificate.location " + files.certificate + ": the certificate is not valid before "
                               + isoTime(own.effectiveDate()));
    if (now > own.expiryDate())
        return invalidArgument("ssl.certificate.location " + files.certificate + ": the certificate expired at "
                               + isoTime(own.expiryDate()));

    auto keyPem = readFile("ssl.key.location", files.key);
    if (!keyPem.isOk())
        return keyPem.status();
    const QSslKey key = parsePrivateKey(keyPem.value(), files.keyPassword);
    if (key.isNull())
        return invalidArgument("ssl.key.location " + files.key + ": no private key could be read from it"
                               + (files.keyPassword.empty() ? " (encrypted? set ssl.key.password)"
                                                            : " (wrong ssl.key.password?)"));
    if (!privateKeyMatchesCertificate(keyPem.value(), files.keyPassword, own))
        return invalidArgument("ssl.key.location " + files.key + ": the key does not belong to the certificate in "
                               + files.certificate);

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setProtocol(files.tls13Only ? QSsl::TlsV1_3OrLater : QSsl::TlsV1_2OrLater);
    if (!files.cipherSuites.empty()) {
        config.setCiphers(QString::fromStdString(files.cipherSuites));
        if (config.ciphers().isEmpty())
            return invalidArgument("ssl.cipher.suites: no cipher this OpenSSL knows in '" + files.cipherSuites + "'");
    }
    if (!files.ca.empty()) {
        auto caPem = readFile("ssl.ca.location", files.ca);
        if (!caPem.isOk())
            return caPem.status();
        const QList<QSslCertificate> cas = QSslCertificate::fromData(caPem.value(), QSsl::Pem);
        if (cas.isEmpty())
            return invalidArgument("ssl.ca.location " + files.ca + ": no PEM certificate in it");
        config.setCaCertificates(cas);
    } else if (files.clientAuth != ClientAuth::None) {
        return invalidArgument("ssl.client.auth is " + std::string(files.clientAuth == ClientAuth::Required ? "required" : "requested")
                               + " but ssl.ca.location is not set: client certificates need a CA to be checked against");
    }
    switch (files.clientAuth) {
    case ClientAuth::None:
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        break;
    case ClientAuth::Requested:
        config.setPeerVerifyMode(QSslSocket::QueryPeer);
        break;
    case ClientAuth::Required:
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        break;
    }
    return config;
}

Status verifyClientChain(const QList<QSslCertificate> &chain, const QList<QSslCertificate> &cas)
{
    if (chain.isEmpty())
        return invalidArgument("no client certificate");
    auto toX509 = [](const QSslCertificate &c) {
        const QByteArray der = c.toDer();
        const unsigned char *p = reinterpret_cast<const unsigned char *>(der.constData());
        return std::unique_ptr<X509, decltype(&X509_free)>(d2i_X509(nullptr, &p, der.size()), X509_free);
    };
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    for (const QSslCertificate &ca : cas)
        if (auto x = toX509(ca))
            X509_STORE_add_cert(store.get(), x.get());   // the store takes its own reference
    auto leaf = toX509(chain.front());
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    for (qsizetype i = 1; i < chain.size(); ++i)
        if (auto x = toX509(chain[i]))
            sk_X509_push(untrusted, x.release());
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
    Status result = Status::ok();
    if (!leaf || !ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted) != 1)
        result = invalidArgument("the client certificate cannot be read");
    else if (X509_verify_cert(ctx.get()) != 1)
        result = invalidArgument(std::string("the client certificate is refused: ")
                                 + X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
    sk_X509_pop_free(untrusted, X509_free);
    return result;
}

Status certificateNamesHost(const QSslCertificate &certificate, const std::string &host)
{
    const QByteArray der = certificate.toDer();
    const unsigned char *p = reinterpret_cast<const unsigned char *>(der.constData());
    std::unique_ptr<X509, decltype(&X509_free)> x509(d2i_X509(nullptr, &p, der.size()), X509_free);
    if (!x509)
        return invalidArgument("no certificate was presented");
    const bool isIp = !QHostAddress(QString::fromStdString(host)).isNull();
    const int match = isIp ? X509_check_ip_asc(x509.get(), host.c_str(), 0)
                           : X509_check_host(x509.get(), host.c_str(), host.size(), 0, nullptr);
    if (match == 1)
        return Status::ok();
    const QStringList cn = certificate.subjectInfo(QSslCertificate::CommonName);
    return failedPrecondition("its certificate (CN=" + cn.join(',').toStdString() + ") is not made out for " + host);
}

QString describeCertificate(const QSslConfiguration &config)
{
    const QSslCertificate own = config.localCertificate();
    const QStringList cn = own.subjectInfo(QSslCertificate::CommonName);
    return QStringLiteral("CN=%1, expires %2")
        .arg(cn.isEmpty() ? QStringLiteral("(none)") : cn.join(','), own.expiryDate().toUTC().toString(Qt::ISODate));
}

} // namespace skiff::net
