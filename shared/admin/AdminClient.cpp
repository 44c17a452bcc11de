#include "admin/AdminClient.h"

#include <QDeadlineTimer>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>

namespace skiff::admin {

AdminClient::AdminClient(std::string token) : m_settings{std::move(token), {}} {}

AdminClient::AdminClient(AdminClientSettings settings) : m_settings(std::move(settings)) {}

AdminClient::~AdminClient() = default;

Status AdminClient::connectionError(const std::string &what) const
{
    return connectionLost(what + " admin socket " + m_address + ": " + m_socket->errorString().toStdString());
}

Status AdminClient::connectionLost(const std::string &plainWords) const
{
    if (!m_settings.tls.enabled)
        return unavailable(plainWords);
    const QString error = m_socket->errorString();
    const bool closed = m_socket->error() == QAbstractSocket::RemoteHostClosedError
                        || error.contains(QLatin1String("unexpected eof"), Qt::CaseInsensitive);
    // TLS 1.3 tells a client that its certificate is refused (or missing) by an alert that comes
    // after the client's side of the handshake is done: at the first read.
    if (!m_handshakeDone || error.contains(QLatin1String("alert"), Qt::CaseInsensitive))
        return unavailable(describeTlsFailure(m_address, m_settings.tls, m_verifiedName, m_verifyErrors, error,
                                              closed && !m_handshakeDone));
    // A node that checks a certificate sent under admin.ssl.client.auth = requested closes the
    // connection after the handshake, without an alert.
    if (closed && !m_settings.tls.certificate.empty())
        return unavailable(plainWords + " (did it refuse the client certificate? is --cert signed by the node's ssl.ca.location?)");
    return unavailable(plainWords);
}

Status AdminClient::connectTo(const std::string &address, int timeoutMs)
{
    m_address = address;
    const size_t colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
        return invalidArgument("admin address '" + address + "' is not host:port (for example 127.0.0.1:9094)");
    std::string host = address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    bool ok = false;
    const uint port = QString::fromStdString(address.substr(colon + 1)).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return invalidArgument("admin address '" + address + "' has no valid port (1-65535)");
    if (!m_settings.tls.enabled) {
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(QString::fromStdString(host), quint16(port));
        if (!m_socket->waitForConnected(timeoutMs))
            return unavailable("cannot connect to the admin socket " + address + ": " + m_socket->errorString().toStdString() +
                               " (is skiffd running with admin.listen at this address?)");
        return Status::ok();
    }
    auto config = loadAdminClientTls(m_settings.tls);
    if (!config.isOk())
        return config.status();
    auto tls = std::make_unique<QSslSocket>();
    tls->setSslConfiguration(config.value());
    QObject::connect(tls.get(), &QSslSocket::sslErrors, [this](const QList<QSslError> &errors) { m_verifyErrors = errors; });
    m_verifiedName = m_settings.tls.serverName.empty() ? host : m_settings.tls.serverName;
    tls->connectToHostEncrypted(QString::fromStdString(host), quint16(port), QString::fromStdString(m_verifiedName));
    QDeadlineTimer deadline(timeoutMs);
    const bool connected = tls->waitForConnected(timeoutMs);
    m_socket = std::move(tls);
    if (!connected)
        return unavailable("cannot connect to the admin socket " + address + ": " + m_socket->errorString().toStdString() +
                           " (is skiffd running with admin.listen at this address?)");
    if (!static_cast<QSslSocket *>(m_socket.get())->waitForEncrypted(int(deadline.remainingTime())))
        return connectionLost("TLS handshake with the admin socket " + address + " failed");
    m_handshakeDone = true;
    return Status::ok();
}

Result<uint64_t> AdminClient::send(Request request)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return unavailable("not connected to the admin socket " + m_address);
    const uint64_t id = m_nextRequestId++;
    request.set_protocol_version(kProtocolVersion);
    request.set_request_id(id);
    if (!m_settings.token.empty())
        request.set_token(m_settings.token);
    m_socket->write(encodeAdminFrame(request));
    if (!m_socket->waitForBytesWritten(5000) && m_socket->bytesToWrite() > 0)
        return connectionError("cannot write to the");
    return id;
}

Result<Response> AdminClient::receive(int timeoutMs)
{
    if (!m_socket)
        return unavailable("not connected to the admin socket " + m_address);
    QDeadlineTimer deadline(timeoutMs);
    Response response;
    for (;;) {
        auto parsed = m_decoder.next(response);
        if (!parsed.isOk())
            return parsed.status().withContext("reading from the admin socket " + m_address);
        if (parsed.value() && response.request_id() == 0 && response.error_code() != ERROR_CODE_NONE)
            return unavailable(m_address + ": " + response.error_message());
        if (parsed.value())
            return response;
        if (m_socket->state() != QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0)
            return connectionLost("the node closed the admin connection " + m_address);
        if (m_socket->bytesAvailable() == 0 && !m_socket->waitForReadyRead(int(deadline.remainingTime()))) {
            if (deadline.hasExpired())
                return unavailable("no answer from the admin socket " + m_address + " within " +
                                   std::to_string(timeoutMs) + " ms");
            if (m_socket->bytesAvailable() == 0)
                return connectionError("lost the connection to the");
        }
        m_decoder.feed(m_socket->readAll());
    }
}

Result<Response> AdminClient::call(Request request, int timeoutMs)
{
    auto id = send(std::move(request));
    if (!id.isOk())
        return id.status();
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        auto response = receive(int(std::max<qint64>(0, deadline.remainingTime())));
        if (!response.isOk() || response->request_id() == id.value())
            return response;
    }
}

} // namespace skiff::admin
