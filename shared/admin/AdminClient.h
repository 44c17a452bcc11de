#pragma once
// A blocking admin-socket client for command-line tools and tests (skiffctl): connect, send a
// request, wait for its answer. Never use it on a thread whose event loop serves anything; the
// dashboard talks to the socket asynchronously with the same framing.

#include "admin/AdminFraming.h"
#include "admin/AdminProtocol.h"
#include "common/Status.h"

#include <memory>
#include <string>

class QTcpSocket;

namespace skiff::admin {

class AdminClient {
public:
    explicit AdminClient(std::string token = {});
    ~AdminClient();
    AdminClient(const AdminClient &) = delete;
    AdminClient &operator=(const AdminClient &) = delete;

    // `address` is host:port ([v6]:port). Unavailable with the reason when nothing answers.
    Status connectTo(const std::string &address, int timeoutMs);
    const std::string &address() const { return m_address; }

    // Fills in protocol version, request id and token; returns the id.
    Result<uint64_t> send(Request request);
    // The next frame from the node, whatever request it answers (streams: Subscribe).
    Result<Response> receive(int timeoutMs);
    // send + receive until the answer to this request arrives.
    Result<Response> call(Request request, int timeoutMs);

private:
    Status connectionError(const std::string &what) const;

    std::string m_token;
    std::string m_address;
    std::unique_ptr<QTcpSocket> m_socket;
    AdminFrameDecoder m_decoder{kMaxResponseFrameBytes};
    uint64_t m_nextRequestId = 1;
};

} // namespace skiff::admin
