#pragma once

#include "common/Status.h"
#include "kafka/server/ClientSession.h"

#include <string_view>

namespace skiff::kafka {

class Responder;

// Decodes one request frame (size prefix removed) and eventually answers through the responder.
// Runs on the Kafka thread. Must never throw, crash or block on bad input.
class RequestDispatcher {
public:
    virtual ~RequestDispatcher() = default;
    // An error when the connection must be closed: the frame is not a request this node can
    // parse (Corruption) or asks for an API or version it does not serve (InvalidArgument). The
    // message says which, for the one line the connection logs; the dispatcher logs nothing.
    // `session`: the connection's listener and principal (the listener outlives the request).
    virtual Status dispatch(std::string_view frame, const ClientSession &session, Responder responder) = 0;
};

} // namespace skiff::kafka
