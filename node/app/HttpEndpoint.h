#pragma once
// The node's small HTTP surface (http.listen): /health, /ready, and later /metrics. A minimal
// HTTP/1.1 server on a TcpListener: GET only, one request per connection, bounded request size.
// Handlers run on the thread that owns this object and must not block.

#include "common/Status.h"

#include <QObject>

#include <functional>
#include <map>
#include <string>

class QTcpSocket;

namespace skiff::net {
class TcpListener;
}

namespace skiff::app {

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
};

class HttpEndpoint : public QObject {
    Q_OBJECT
public:
    explicit HttpEndpoint(QObject *parent = nullptr);
    ~HttpEndpoint() override;

    void route(const std::string &path, std::function<HttpResponse()> handler);
    Status listen(const std::string &host, uint16_t port);
    uint16_t port() const;

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    static void reply(QTcpSocket *socket, const HttpResponse &response);

    net::TcpListener *m_server = nullptr;
    std::map<std::string, std::function<HttpResponse()>> m_routes;
};

} // namespace skiff::app
