#include "admin/AdminTokenGate.h"

#include "admin/AdminLog.h"
#include "admin/AdminProtocol.h"
#include "common/SecretCompare.h"

#include <algorithm>

namespace skiff::admin {

AdminTokenGate::AdminTokenGate(std::string expected, QString peer)
    : m_tokenRequired(!expected.empty()), m_expected(std::move(expected)), m_peer(std::move(peer))
{
}

AdminTokenGate::~AdminTokenGate()
{
    if (m_refusals > m_loggedRefusals)
        qCWarning(lcAdmin, "admin connection from %s closed after %llu refused request(s) (wrong or missing admin.token)",
                  qPrintable(m_peer), static_cast<unsigned long long>(m_refusals));
}

bool AdminTokenGate::admits(const Request &request)
{
    if (!m_tokenRequired || request.protocol_version() != kProtocolVersion || !isMutating(request))
        return true;
    if (secretEquals(request.token(), m_expected)) {
        m_consecutiveRefusals = 0;
        return true;
    }
    ++m_consecutiveRefusals;
    ++m_refusals;
    logRefusal(request);
    return false;
}

void AdminTokenGate::logRefusal(const Request &request)
{
    if (m_refusals == 1) {
        qCWarning(lcAdmin, "refused %s from %s: %s (further refusals on this connection are counted, not logged one by one)",
                  requestKindName(request), qPrintable(m_peer),
                  request.token().empty() ? "no admin token given" : "wrong admin token");
        m_loggedRefusals = 1;
    } else if (m_refusals % kSummaryEvery == 0) {
        // A connection that keeps guessing is reported while it lasts, not only when it ends.
        qCWarning(lcAdmin, "%llu requests from %s refused so far (wrong or missing admin.token); its answers now wait %lld ms",
                  static_cast<unsigned long long>(m_refusals), qPrintable(m_peer),
                  static_cast<long long>(refusalDelay().count()));
        m_loggedRefusals = m_refusals;
    }
}

std::chrono::milliseconds AdminTokenGate::delayAfter(uint64_t consecutiveRefusals)
{
    if (consecutiveRefusals == 0)
        return std::chrono::milliseconds(0);
    // 100 ms * 2^6 already passes 5 s: cap the exponent before shifting.
    const uint64_t doublings = std::min<uint64_t>(consecutiveRefusals - 1, 16);
    return std::min(kFirstDelay * (int64_t(1) << doublings), kMaxDelay);
}

} // namespace skiff::admin
