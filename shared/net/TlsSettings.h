#pragma once
// TLS for a server socket: the PEM files an operator names, turned into the QSslConfiguration
// every accepted connection uses (Qt's OpenSSL backend). One home for the checks, so each bad
// file is one line that says which file and what is wrong with it, at start and at a reload.

#include "common/Status.h"
#include "net/TlsFiles.h"

#include <QDateTime>
#include <QSslConfiguration>
#include <QSslKey>


namespace skiff::net {

// The server configuration the files give, checked as of `now`: every file readable and
// parseable, the key matching the certificate, the certificate valid at `now`.
Result<QSslConfiguration> loadServerTls(const TlsFiles &files, const QDateTime &now);

// ssl.client.auth = requested: Qt asks for a client certificate but does not check one that is
// sent (QueryPeer); Kafka refuses a bad one. This checks a presented chain against the CAs.
Status verifyClientChain(const QList<QSslCertificate> &chain, const QList<QSslCertificate> &cas);

// Whether `certificate` is made out for `host` (an IP address or a DNS name, matched against its
// subject alternative names as a TLS client matches a server's): peer links bind a node's
// certificate to the host of its raft address.
Status certificateNamesHost(const QSslCertificate &certificate, const std::string &host);

// The private key in `pem` (RSA, EC or DSA; encrypted with `password` if not empty); null if
// none can be read. Servers and clients read their keys alike.
QSslKey parsePrivateKey(const QByteArray &pem, const std::string &password);

// "CN=broker1, expires 2027-01-01T00:00:00Z": what a log line says of the certificate in use.
QString describeCertificate(const QSslConfiguration &config);

// Whether the PEM private key (decrypted with `password` when it is encrypted) is the key of
// `certificate`: a client's certificate and key are checked with the same rule as a server's. A
// mismatch would otherwise fail every handshake with a vague error.
bool privateKeyMatchesCertificate(const QByteArray &keyPem, const std::string &password, const QSslCertificate &certificate);

} // namespace skiff::net
