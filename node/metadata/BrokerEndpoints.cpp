#include "metadata/BrokerEndpoints.h"

#include <limits>

namespace skiff::metadata {

std::vector<BrokerEndpoint> endpointsOf(const BrokerInfo &broker)
{
    if (!broker.endpoints.empty())
        return broker.endpoints;
    return {BrokerEndpoint{std::string(kLegacyListenerName), broker.kafkaHost, broker.kafkaPort, "PLAINTEXT"}};
}

std::optional<BrokerEndpoint> endpointFor(const BrokerInfo &broker, std::string_view listener)
{
    if (broker.endpoints.empty()) {
        if (listener != kLegacyListenerName)
            return std::nullopt;
        return endpointsOf(broker).front();
    }
    for (const BrokerEndpoint &e : broker.endpoints)
        if (e.listener == listener)
            return e;
    return std::nullopt;
}

Result<std::vector<BrokerEndpoint>> endpointsFromProto(const google::protobuf::RepeatedPtrField<Endpoint> &in)
{
    std::vector<BrokerEndpoint> out;
    for (const Endpoint &e : in) {
        if (e.port() > std::numeric_limits<uint16_t>::max())
            return invalidArgument("listener " + e.listener() + " has port " + std::to_string(e.port()) + " above 65535");
        out.push_back({e.listener(), e.host(), uint16_t(e.port()), e.security_protocol()});
    }
    return out;
}

} // namespace skiff::metadata
