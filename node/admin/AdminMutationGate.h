#pragma once
// What a mutating request must carry on one admin connection (admin.mutation.auth): the node's
// admin.token, a verified client certificate (of a subject admin.ssl.principals lists, when it
// lists any), either, or both. Reads pass. A refusal says exactly what is missing, and its answer
// waits: the k-th refusal in a row waits min(100 ms * 2^(k-1), 5 s), and the connection reads
// nothing meanwhile (AdminConnection), so guessing the token on one connection costs seconds per
// guess instead of microseconds, pipelined or not. An admitted mutation resets the count. The
// first refusal of a connection is logged with the peer; later ones are counted and summed up
// every kSummaryEvery refusals and when the connection goes.

#include "admin.pb.h"
#include "core/AdminAccess.h"

#include <QString>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::admin {

class AdminMutationGate {
public:
    static constexpr std::chrono::milliseconds kFirstDelay{100};
    static constexpr std::chrono::milliseconds kMaxDelay{5000};
    static constexpr uint64_t kSummaryEvery = 100;

    // `token`: admin.token; `principals`: admin.ssl.principals ("User:CN=admin"), empty: any
    // verified certificate.
    AdminMutationGate(core::MutationAuth rule, std::string token, std::vector<std::string> principals, QString peer);
    ~AdminMutationGate();   // logs the refusals not logged yet
    AdminMutationGate(const AdminMutationGate &) = delete;
    AdminMutationGate &operator=(const AdminMutationGate &) = delete;

    // The principal of the client certificate this connection's TLS handshake verified
    // ("User:CN=admin"); until then, and without one, the connection has no certificate.
    void setCertificatePrincipal(std::string principal) { m_certificatePrincipal = std::move(principal); }

    // Null when `request` may run: not a mutation, or it carries what the rule asks. Otherwise the
    // one line the client is told ("create_topic needs a client certificate (admin.mutation.auth =
    // certificate; skiffctl --cert/--key)"). Requests of another protocol version pass: the handler
    // refuses those itself.
    std::optional<std::string> refusal(const Request &request);

    // How long the answer to the latest refusal waits.
    std::chrono::milliseconds refusalDelay() const { return delayAfter(m_consecutiveRefusals); }

    // The delay schedule: none before any refusal, then doubling from kFirstDelay up to kMaxDelay.
    static std::chrono::milliseconds delayAfter(uint64_t consecutiveRefusals);

private:
    enum class Credential { Missing, Wrong, Right };
    Credential token(const Request &request) const;
    Credential certificate() const;
    std::string missing(const Request &request, Credential token, Credential certificate) const;
    void logRefusal(const Request &request, Credential token, Credential certificate);

    const core::MutationAuth m_rule;
    const std::string m_expected;   // compared with secretEquals (common/SecretCompare.h)
    const std::vector<std::string> m_principals;
    const QString m_peer;
    std::optional<std::string> m_certificatePrincipal;
    uint64_t m_consecutiveRefusals = 0;
    uint64_t m_refusals = 0;         // on this connection, in all
    uint64_t m_loggedRefusals = 0;   // of m_refusals, already in the log (one by one or summed up)
};

} // namespace skiff::admin
