#include "net/AdminTls.h"

namespace skiff::gui {

admin::AdminClientTls toClientTls(const AdminTls &tls)
{
    admin::AdminClientTls client;
    client.enabled = tls.enabled;
    client.ca = tls.caFile.toStdString();
    client.certificate = tls.certFile.toStdString();
    client.key = tls.keyFile.toStdString();
    client.keyPassword = tls.keyPassphrase.toStdString();
    return client;
}

const admin::TlsFixWords &dashboardFixWords()
{
    static const admin::TlsFixWords words = [] {
        admin::TlsFixWords w;
        w.keyPassphrase = "$SKIFF_ADMIN_KEY_PASSWORD, or the profile's Key passphrase";
        w.certificateAndKey = "--cert and --key, or the profile's certificate and key files";
        w.noCa = "is the CA the cluster's? give it with --ca or the profile's CA file";
        w.wrongCa = "is the CA the cluster's?";
        w.otherName = "connect by a name or address the node's certificate carries";
        w.plaintextNode = "admin.ssl.enable is false: turn TLS off in the profile";
        return w;
    }();
    return words;
}

Result<QSslConfiguration> adminSslConfiguration(const AdminTls &tls)
{
    return admin::loadAdminClientTls(toClientTls(tls), dashboardFixWords());
}

QString describeVerifyErrors(const QList<QSslError> &errors, const AdminTls &tls, const QString &host)
{
    return QString::fromStdString(admin::describeVerifyErrors(errors, toClientTls(tls), host.toStdString(), dashboardFixWords()));
}

} // namespace skiff::gui
