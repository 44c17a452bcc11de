#include "admin/AdminMutationGate.h"

#include "admin/AdminLog.h"
#include "admin/AdminProtocol.h"
#include "common/SecretCompare.h"

#include <algorithm>

namespace skiff::admin {
namespace {

using core::MutationAuth;

constexpr const char *tokenHint = "skiffctl --token, or the dashboard profile's Token";
constexpr const char *certificateHint = "skiffctl --cert and --key, or the dashboard profile's client certificate";

} // namespace

AdminMutationGate::AdminMutationGate(MutationAuth rule, std::string token, std::vector<std::string> principals, QString peer)
    : m_rule(rule), m_expected(std::move(token)), m_principals(std::move(principals)), m_peer(std::move(peer))
{
}

AdminMutationGate::~AdminMutationGate()
{
    if (m_refusals > m_loggedRefusals)
        qCWarning(lcAdmin, "admin connection from %s closed after %llu refused request(s) (admin.mutation.auth = %s)",
                  qPrintable(m_peer), static_cast<unsigned long long>(m_refusals), core::mutationAuthName(m_rule));
}

AdminMutationGate::Credential AdminMutationGate::token(const Request &request) const
{
    if (request.token().empty())
        return Credential::Missing;
    return secretEquals(request.token(), m_expected) ? Credential::Right : Credential::Wrong;
}

AdminMutationGate::Credential AdminMutationGate::certificate() const
{
    if (!m_certificatePrincipal)
        return Credential::Missing;
    if (m_principals.empty())
        return Credential::Right;
    return std::find(m_principals.begin(), m_principals.end(), *m_certificatePrincipal) != m_principals.end()
               ? Credential::Right
               : Credential::Wrong;
}

std::optional<std::string> AdminMutationGate::refusal(const Request &request)
{
    if (m_rule == MutationAuth::Open || request.protocol_version() != kProtocolVersion || !isMutating(request))
        return std::nullopt;
    const Credential t = core::takesToken(m_rule) ? token(request) : Credential::Missing;
    const Credential c = core::takesCertificate(m_rule) ? certificate() : Credential::Missing;
    const bool tokenOk = t == Credential::Right;
    const bool certificateOk = c == Credential::Right;
    const bool admitted = m_rule == MutationAuth::Token               ? tokenOk
                          : m_rule == MutationAuth::Certificate        ? certificateOk
                          : m_rule == MutationAuth::TokenOrCertificate ? tokenOk || certificateOk
                                                                       : tokenOk && certificateOk;
    if (admitted) {
        m_consecutiveRefusals = 0;
        return std::nullopt;
    }
    ++m_consecutiveRefusals;
    ++m_refusals;
    logRefusal(request, t, c);
    return missing(request, t, c);
}

std::string AdminMutationGate::missing(const Request &request, Credential token, Credential certificate) const
{
    const std::string what = requestKindName(request);
    const std::string rule = std::string("admin.mutation.auth = ") + core::mutationAuthName(m_rule);
    const std::string notListed =
        certificate == Credential::Wrong
            ? "; the client certificate's subject " + m_certificatePrincipal->substr(5) + " is not in admin.ssl.principals"
            : std::string();
    switch (m_rule) {
    case MutationAuth::Open:
        break;
    case MutationAuth::Token:
        // The words of the node before admin.mutation.auth existed: clients and scripts know them.
        return what + " needs the node's admin.token (" + tokenHint + ")";
    case MutationAuth::Certificate:
        return what + " needs a client certificate (" + rule + "; " + certificateHint + ")" + notListed;
    case MutationAuth::TokenOrCertificate:
        return what + " needs the node's admin.token or a client certificate (" + rule + "; " + tokenHint + "; "
               + certificateHint + ")" + notListed;
    case MutationAuth::TokenAndCertificate:
        if (certificate == Credential::Right)
            return what + " needs the node's admin.token as well as the client certificate (" + rule + "; " + tokenHint + ")";
        if (token == Credential::Right)
            return what + " needs a client certificate as well as the admin.token (" + rule + "; " + certificateHint + ")"
                   + notListed;
        return what + " needs the node's admin.token and a client certificate (" + rule + "; " + tokenHint + "; "
               + certificateHint + ")" + notListed;
    }
    return what + " is refused";
}

void AdminMutationGate::logRefusal(const Request &request, Credential token, Credential certificate)
{
    if (m_refusals == 1) {
        std::string why;
        if (core::takesToken(m_rule))
            why = token == Credential::Missing ? "no admin token given" : token == Credential::Wrong ? "wrong admin token" : "admin token given";
        if (core::takesCertificate(m_rule)) {
            why += why.empty() ? "" : ", ";
            why += certificate == Credential::Missing ? "no client certificate"
                   : certificate == Credential::Wrong ? "client certificate " + m_certificatePrincipal->substr(5) + " not in admin.ssl.principals"
                                                      : "client certificate " + m_certificatePrincipal->substr(5);
        }
        qCWarning(lcAdmin, "refused %s from %s: %s (admin.mutation.auth = %s; further refusals on this connection are "
                           "counted, not logged one by one)",
                  requestKindName(request), qPrintable(m_peer), why.c_str(), core::mutationAuthName(m_rule));
        m_loggedRefusals = 1;
    } else if (m_refusals % kSummaryEvery == 0) {
        // A connection that keeps guessing is reported while it lasts, not only when it ends.
        qCWarning(lcAdmin, "%llu requests from %s refused so far (admin.mutation.auth = %s); its answers now wait %lld ms",
                  static_cast<unsigned long long>(m_refusals), qPrintable(m_peer), core::mutationAuthName(m_rule),
                  static_cast<long long>(refusalDelay().count()));
        m_loggedRefusals = m_refusals;
    }
}

std::chrono::milliseconds AdminMutationGate::delayAfter(uint64_t consecutiveRefusals)
{
    if (consecutiveRefusals == 0)
        return std::chrono::milliseconds(0);
    // 100 ms * 2^6 already passes 5 s: cap the exponent before shifting.
    const uint64_t doublings = std::min<uint64_t>(consecutiveRefusals - 1, 16);
    return std::min(kFirstDelay * (int64_t(1) << doublings), kMaxDelay);
}

} // namespace skiff::admin
