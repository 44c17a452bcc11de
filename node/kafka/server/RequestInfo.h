#pragma once
// One decoded request's header and its place in the connection's response order.

#include "auth/Authorizer.h"
#include "core/KafkaListeners.h"
#include "kafka/protocol/RequestHeader.h"
#include "kafka/protocol/ResponseFrame.h"
#include "kafka/server/Responder.h"
#include "metadata/BrokerEndpoints.h"

#include <string>
#include <string_view>

namespace skiff::kafka {

struct RequestInfo {
    RequestHeader header;
    Responder responder;
    const core::KafkaListener *listener = nullptr;   // the one it came in on; null in handler tests
    auth::Principal principal;                       // who asks, for the authorizer
    size_t requestBytes = 0;   // the request frame, header and body (the produce quota counts it)

    int16_t apiVersion() const { return header.apiVersion; }
    // Brokers are named to this client by their endpoint of this listener.
    std::string_view listenerName() const { return listener ? std::string_view(listener->name) : metadata::kLegacyListenerName; }

    template <class M>
    void reply(const M &body)
    {
        std::string frame;
        encodeResponseFrame(frame, header, body);
        responder.respond(std::move(frame));
    }
    // A fetch response's records go to the socket without being copied into its frame.
    void reply(FetchResponse &&body)
    {
        OutgoingFrame frame;
        encodeResponseFrame(frame, header, std::move(body));
        responder.respond(std::move(frame));
    }
};

} // namespace skiff::kafka
