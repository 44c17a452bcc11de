#include "app/HttpEndpoint.h"

#include "app/NodeLog.h"
#include "net/TcpListener.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace skiff::app {

namespace {
constexpr qint64 kMaxRequestBytes = 8192;
constexpr int kRequestTimeoutMs = 5000;

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}
} // namespace

HttpEndpoint::HttpEndpoint(QObject *parent) : QObject(parent), m_server(new net::TcpListener(QStringLiteral("http.listen"), lcNode, this))
{
    connect(m_server, &net::TcpListener::newConnection, this, &HttpEndpoint::onNewConnection);
}

HttpEndpoint::~HttpEndpoint() = default;

void HttpEndpoint::route(const std::string &path, std::function<HttpResponse()> handler)
{
    m_routes[path] = std::move(handler);
}

Status HttpEndpoint::listen(const std::string &host, uint16_t port)
{
    if (!m_server->listen(QHostAddress(QString::fromStdString(host)), port))
        return unavailable("cannot listen for HTTP on " + host + ":" + std::to_string(port) + ": "
                           + m_server->errorString().toStdString());
    return Status::ok();
}

uint16_t HttpEndpoint::port() const { return m_server->serverPort(); }

void HttpEndpoint::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket]() { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // A client that never finishes its request does not keep a socket forever.
        QTimer::singleShot(kRequestTimeoutMs, socket, [socket]() { socket->abort(); socket->deleteLater(); });
    }
}

void HttpEndpoint::onReadyRead(QTcpSocket *socket)
{
    if (socket->property("answered").toBool())
        return;
    QByteArray buffered = socket->property("buffer").toByteArray() + socket->readAll();
    if (buffered.size() > kMaxRequestBytes) {
        reply(socket, {400, "text/plain", "request too large\n"});
        return;
    }
    if (!buffered.contains("\r\n\r\n") && !buffered.contains("\n\n")) {
        socket->setProperty("buffer", buffered);
        return;
    }
    const QList<QByteArray> requestLine = buffered.left(buffered.indexOf('\n')).trimmed().split(' ');
    if (requestLine.size() < 2) {
        reply(socket, {400, "text/plain", "malformed request line\n"});
        return;
    }
    if (requestLine[0] != "GET" && requestLine[0] != "HEAD") {
        reply(socket, {405, "text/plain", "only GET is served here\n"});
        return;
    }
    std::string path = requestLine[1].toStdString();
    if (auto q = path.find('?'); q != std::string::npos)
        path.resize(q);
    auto it = m_routes.find(path);
    if (it == m_routes.end()) {
        std::string known;
        for (const auto &[p, h] : m_routes)
            known += " " + p;
        reply(socket, {404, "text/plain", "no such path; served:" + known + "\n"});
        return;
    }
    reply(socket, it->second());
}

void HttpEndpoint::reply(QTcpSocket *socket, const HttpResponse &response)
{
    socket->setProperty("answered", true);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " " + reasonPhrase(response.status) + "\r\n";
    out += "Content-Type: " + QByteArray::fromStdString(response.contentType) + "\r\n";
    out += "Content-Length: " + QByteArray::number(qsizetype(response.body.size())) + "\r\n";
    out += "Connection: close\r\n\r\n";
    out += QByteArray::fromStdString(response.body);
    socket->write(out);
    socket->disconnectFromHost();
}

} // namespace skiff::app
