#pragma once
// TLS for an admin-socket client, skiffctl's and the dashboard's alike: the files a user names
// turned into the QSslConfiguration that checks the node (its certificate must chain to the CA
// and carry the name dialled) and presents a client certificate, and what went wrong in or right
// after a handshake turned into one line that says what to do. The rules live here once; each
// client only says in its own words where the fix is typed (TlsFixWords).

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

// Where a user of this client gives what a line asks for (skiffctl's flags and variables are
// the defaults; the dashboard names its profile fields too).
struct TlsFixWords {
    std::string keyPassphrase = "$SKIFF_ADMIN_KEY_PASSWORD";
    std::string certificateAndKey = "--cert and --key";
    std::string noCa = "pass --ca with the cluster's CA";
    std::string wrongCa = "is --ca the cluster's CA?";
    std::string otherName = "pass --tls-server-name with a name it carries";
    std::string plaintextNode = "admin.ssl.enable is false: leave out --tls, --ca, --cert and --key";
};

// Every file read and checked, each problem one line naming the file ("CA file tls/ca.pem: no
// PEM certificate in it", "key file k.pem is encrypted: give its passphrase (...)").
Result<QSslConfiguration> loadAdminClientTls(const AdminClientTls &tls, const TlsFixWords &words = {});

// The line for a node certificate the client refused (without the address: whoever shows it names
// the node once). `verifiedName`: the name the certificate had to carry.
std::string describeVerifyErrors(const QList<QSslError> &verifyErrors, const AdminClientTls &tls,
                                 const std::string &verifiedName, const TlsFixWords &words = {});

// The line for a handshake that failed, or a connection the node ended right after it (TLS 1.3
// tells a client its certificate is refused only then), prefixed with `address`, what was
// dialled. `verifyErrors`: what the check of the node's certificate found; `socketError`: the
// socket's errorString(); `nodeClosed`: the node closed the connection without a TLS alert.
std::string describeTlsFailure(const std::string &address, const AdminClientTls &tls, const std::string &verifiedName,
                               const QList<QSslError> &verifyErrors, const QString &socketError, bool nodeClosed,
                               const TlsFixWords &words = {});

} // namespace skiff::admin
