#pragma once
// One decoded request's header and its place in the connection's response order.

#include "kafka/protocol/RequestHeader.h"
#include "kafka/protocol/ResponseFrame.h"
#include "kafka/server/Responder.h"

#include <string>

namespace skiff::kafka {

struct RequestInfo {
    RequestHeader header;
    Responder responder;

    int16_t apiVersion() const { return header.apiVersion; }

    template <class M>
    void reply(const M &body)
    {
        std::string frame;
        encodeResponseFrame(frame, header, body);
        responder.respond(std::move(frame));
    }
};

} // namespace skiff::kafka
