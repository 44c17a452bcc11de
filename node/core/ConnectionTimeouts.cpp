#include "core/ConnectionTimeouts.h"

#include <algorithm>

namespace skiff::core {

std::chrono::milliseconds ConnectionTimeouts::sweepInterval() const
{
    using std::chrono::milliseconds;
    return std::clamp(std::min({request, idle, handshake}) / 4, milliseconds(10), milliseconds(1000));
}

ConnectionExpiry expiryOf(const ConnectionTimeouts &timeouts, const ConnectionActivity &activity,
                          ConnectionActivity::TimePoint now)
{
    if (activity.handshakeStartedAt)
        return now - *activity.handshakeStartedAt >= timeouts.handshake ? ConnectionExpiry::HandshakeTimeout
                                                                        : ConnectionExpiry::None;
    if (activity.frameStartedAt)
        return now - *activity.frameStartedAt >= timeouts.request ? ConnectionExpiry::RequestTimeout
                                                                  : ConnectionExpiry::None;
    if (!activity.awaitingAnswers && now - activity.lastActivity >= timeouts.idle)
        return ConnectionExpiry::Idle;
    return ConnectionExpiry::None;
}

} // namespace skiff::core
