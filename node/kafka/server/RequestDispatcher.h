#pragma once

#include <string_view>

namespace skiff::kafka {

class Responder;

// Decodes one request frame (size prefix removed) and eventually answers through the responder.
// Runs on the Kafka thread. Must never throw, crash or block on bad input.
class RequestDispatcher {
public:
    virtual ~RequestDispatcher() = default;
    // Returns false when the connection must be closed (the frame is not a request at all).
    virtual bool dispatch(std::string_view frame, Responder responder) = 0;
};

} // namespace skiff::kafka
