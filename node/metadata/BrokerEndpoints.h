#pragma once
// Which address a client is given for a broker: the broker's endpoint of the listener the client
// came in on (Kafka's rule: a broker without that listener is left out of the answer). A broker
// registered by a node older than named listeners has one listener, PLAINTEXT, at kafkaHost.

#include "common/Status.h"
#include "metadata/MetadataImage.h"
#include "metadata.pb.h"

#include <optional>
#include <string_view>
#include <vector>

namespace skiff::metadata {

// Name of the one listener of a broker that registered no endpoints.
inline constexpr std::string_view kLegacyListenerName = "PLAINTEXT";

std::vector<BrokerEndpoint> endpointsOf(const BrokerInfo &broker);
std::optional<BrokerEndpoint> endpointFor(const BrokerInfo &broker, std::string_view listener);

// Endpoints as a command or snapshot carries them; a port above 65535 is refused.
Result<std::vector<BrokerEndpoint>> endpointsFromProto(const google::protobuf::RepeatedPtrField<Endpoint> &in);

} // namespace skiff::metadata
