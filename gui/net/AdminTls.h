#pragma once
// TLS to a node's admin socket (admin.ssl.enable on the node): the files the dashboard is given,
// as skiffctl's --ca/--cert/--key. The rules (what is checked, and the line each problem makes)
// are skiffctl's, in shared/admin/AdminClientTls.h; this names the dashboard's fields in them.

#include "admin/AdminClientTls.h"
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

admin::AdminClientTls toClientTls(const AdminTls &tls);

// Where the dashboard's user gives what a TLS error line asks for.
const admin::TlsFixWords &dashboardFixWords();

// Reads the files; an error names the file and what is wrong with it (missing, not PEM, an
// encrypted key without its passphrase or with a wrong one, a key that is not the certificate's).
Result<QSslConfiguration> adminSslConfiguration(const AdminTls &tls);

// One line for a failed verification of the node's certificate, which had to carry `host`,
// without the address (whoever shows it names the node once).
QString describeVerifyErrors(const QList<QSslError> &errors, const AdminTls &tls, const QString &host);

} // namespace skiff::gui
