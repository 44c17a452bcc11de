#pragma once
// What the handlers that answer once their proposals are applied share: the Kafka code of a
// proposal that was not applied for a reason of its own making (its own refusal has its own
// code), and the answer of a request whose parts are proposals, filled in as each is applied.

#include "common/Status.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/RequestInfo.h"

#include <cstddef>

namespace skiff::kafka {

// No controller reached within the deadline (Unavailable) is NOT_CONTROLLER, which clients retry;
// anything else UNKNOWN_SERVER_ERROR.
inline ErrorCode unappliedProposalError(const Status &status)
{
    return status.code() == StatusCode::Unavailable ? ErrorCode::NotController : ErrorCode::UnknownServerError;
}

template <class Response>
struct PendingAnswer {
    RequestInfo info;
    Response response;
    size_t waiting = 0;   // proposals not yet applied
};

} // namespace skiff::kafka
