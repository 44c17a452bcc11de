#pragma once
// TLS to a node's admin socket (admin.ssl.enable on the node): the files the dashboard is given,
// as skiffctl's --ca/--cert/--key, and the QSslConfiguration they make. The node's certificate
// must chain to the CA bundle and carry the host of the admin address; a client certificate is
// presented when the node asks for one (admin.ssl.client.auth). TLS 1.2 at least.

#include "common/Status.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

namespace skiff::gui {

struct AdminTls {
    bool enabled = false;
    QString caFile;          // PEM bundle the node's certificate must chain to; empty: the system's CAs
    QString certFile;        // client certificate (PEM; intermediates may follow); empty: none
    QString keyFile;         // its private key (PEM)
    QString keyPassphrase;   // secret (keyring or $SKIFF_ADMIN_KEY_PASSWORD): the key's, when encrypted

    bool operator==(const AdminTls &) const = default;
};

// Reads the files; an error names the file and what is wrong with it (missing, not PEM, an
// encrypted key without its passphrase or with a wrong one, a key that is not the certificate's).
Result<QSslConfiguration> adminSslConfiguration(const AdminTls &tls);

// One line for a failed verification of the node's certificate, without the address (whoever
// shows it names the node once): "certificate verify failed: ... (is the CA the cluster's?)".
QString describeVerifyErrors(const QList<QSslError> &errors);

} // namespace skiff::gui
