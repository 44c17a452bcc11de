#include "net/ServerHandshake.h"

#include "net/TlsSettings.h"

#include <QSslSocket>
#include <QStringList>

#include <memory>

namespace skiff::net {

void watchServerHandshake(QSslSocket *socket, QObject *context, bool certificateRequired,
                          std::function<void(const QSslCertificate &client)> done,
                          std::function<void(const std::string &why)> failed)
{
    struct Handshake {
        QStringList errors;   // what the handshake found wrong, for the reason that closes it
        bool over = false;
    };
    auto handshake = std::make_shared<Handshake>();
    QObject::connect(socket, &QSslSocket::encrypted, context, [socket, handshake, certificateRequired, done, failed]() {
        if (handshake->over)
            return;
        handshake->over = true;
        const QSslCertificate client = socket->peerCertificate();
        if (client.isNull() && certificateRequired)
            return failed("TLS handshake failed: the client sent no certificate (client certificates are required)");
        if (!client.isNull() && socket->peerVerifyMode() == QSslSocket::QueryPeer) {
            const Status verified = verifyClientChain(socket->peerCertificateChain(), socket->sslConfiguration().caCertificates());
            if (!verified.isOk())
                return failed("TLS handshake failed: " + verified.message());
        }
        done(client);
    });
    QObject::connect(socket, &QSslSocket::sslErrors, context, [handshake](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            handshake->errors << e.errorString();
    });
    QObject::connect(socket, &QSslSocket::errorOccurred, context, [socket, handshake, failed](QAbstractSocket::SocketError error) {
        if (handshake->over || error == QAbstractSocket::RemoteHostClosedError)
            return;
        handshake->over = true;
        const QString why = handshake->errors.isEmpty() ? socket->errorString() : handshake->errors.join(QStringLiteral("; "));
        failed("TLS handshake failed: " + why.toStdString());
    });
}

} // namespace skiff::net
