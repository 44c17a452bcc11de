#include "admin/AdminClient.h"

#include <QDeadlineTimer>
#include <QTcpSocket>

#include <algorithm>

namespace skiff::admin {

AdminClient::AdminClient(std::string token) : m_token(std::move(token)) {}

AdminClient::~AdminClient() = default;

Status AdminClient::connectionError(const std::string &what) const
{
    return unavailable(what + " admin socket " + m_address + ": " + m_socket->errorString().toStdString());
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
    m_socket = std::make_unique<QTcpSocket>();
    m_socket->connectToHost(QString::fromStdString(host), quint16(port));
    if (!m_socket->waitForConnected(timeoutMs))
        return unavailable("cannot connect to the admin socket " + address + ": " + m_socket->errorString().toStdString() +
                           " (is skiffd running with admin.listen at this address?)");
    return Status::ok();
}

Result<uint64_t> AdminClient::send(Request request)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return unavailable("not connected to the admin socket " + m_address);
    const uint64_t id = m_nextRequestId++;
    request.set_protocol_version(kProtocolVersion);
    request.set_request_id(id);
    if (!m_token.empty())
        request.set_token(m_token);
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
        if (parsed.value())
            return response;
        if (m_socket->state() != QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0)
            return unavailable("the node closed the admin connection " + m_address);
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
