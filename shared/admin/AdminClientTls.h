#pragma once
// TLS for an admin-socket client (skiffctl; the dashboard's connection can use the same): the
// files a user names turned into the QSslConfiguration that checks the node (its certificate must
// chain to the CA and carry the name dialled) and presents a client certificate, and what went
// wrong in or right after a handshake turned into one line that says what to do.

#include "common/Status.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>

#include <string>

namespace skiff::admin {

struct AdminClientTls {
    bool enabled = false;
    std::string ca;            // PEM CA bundle the node's certificate must chain to; empty: the system's CAs
    std::string certificate;   // PEM client certificate (then its chain); empty: none
    std::string key;           // the certificate's PEM private key
    std::string keyPassword;   // empty: the key is not encrypted
    std::string serverName;    // the name the node's certificate must carry; empty: the host dialled
};

// Every file read and checked, each problem one line naming the file ("CA file tls/ca.pem: no
// PEM certificate in it").
Result<QSslConfiguration> loadAdminClientTls(const AdminClientTls &tls);

// The line for a handshake that failed, or a connection the node ended right after it (TLS 1.3
// tells a client its certificate is refused only then). `address`: what was dialled;
// `verifyErrors`: what the check of the node's certificate found; `socketError`: the socket's
// errorString(); `nodeClosed`: the node closed the connection without a TLS alert.
std::string describeTlsFailure(const std::string &address, const AdminClientTls &tls, const std::string &verifiedName,
                               const QList<QSslError> &verifyErrors, const QString &socketError, bool nodeClosed);

} // namespace skiff::admin
