#pragma once
// A blocking admin-socket client for command-line tools and tests (skiffctl): connect, send a
// request, wait for its answer. Never use it on a thread whose event loop serves anything; the
// dashboard talks to the socket asynchronously with the same framing. Over TLS when the settings
// say so (a node with admin.ssl.enable): the node's certificate is checked against the CA and the
// host dialled before anything is sent, and each TLS failure is one line saying what to do.

#include "admin/AdminClientTls.h"
#include "admin/AdminFraming.h"
#include "admin/AdminProtocol.h"
#include "common/Status.h"

#include <QList>
#include <QSslError>

#include <memory>
#include <string>

class QTcpSocket;

namespace skiff::admin {

struct AdminClientSettings {
    std::string token;   // sent with every request; the node asks for it on mutations
    AdminClientTls tls;
};

class AdminClient {
public:
    explicit AdminClient(std::string token = {});
    explicit AdminClient(AdminClientSettings settings);
    ~AdminClient();
    AdminClient(const AdminClient &) = delete;
    AdminClient &operator=(const AdminClient &) = delete;

    // `address` is host:port ([v6]:port). Unavailable with the reason when nothing answers, or
    // the TLS handshake fails.
    Status connectTo(const std::string &address, int timeoutMs);
    const std::string &address() const { return m_address; }

    // Fills in protocol version, request id and token; returns the id.
    Result<uint64_t> send(Request request);
    // The next frame from the node, whatever request it answers (streams: Subscribe). An error
    // answer with request_id 0 refuses the connection itself (a plaintext client on a TLS admin
    // socket): an Unavailable status with the node's words.
    Result<Response> receive(int timeoutMs);
    // send + receive until the answer to this request arrives.
    Result<Response> call(Request request, int timeoutMs);

private:
    Status connectionError(const std::string &what) const;
    // The connection ended or failed: over TLS, what the handshake or the node's alert says.
    Status connectionLost(const std::string &plainWords) const;

    AdminClientSettings m_settings;
    std::string m_address;
    std::string m_verifiedName;   // the name the node's certificate had to carry
    std::unique_ptr<QTcpSocket> m_socket;
    QList<QSslError> m_verifyErrors;
    bool m_handshakeDone = false;
    AdminFrameDecoder m_decoder{kMaxResponseFrameBytes};
    uint64_t m_nextRequestId = 1;
};

} // namespace skiff::admin
