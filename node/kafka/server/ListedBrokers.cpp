#include "kafka/server/ListedBrokers.h"

#include "metadata/BrokerEndpoints.h"

#include <algorithm>

namespace skiff::kafka {

std::vector<ListedBroker> listedBrokers(const metadata::MetadataImage &image, std::string_view listener)
{
    std::vector<ListedBroker> out;
    for (const auto &[id, broker] : image.brokers) {
        if (broker.fenced)
            continue;
        const auto endpoint = metadata::endpointFor(broker, listener);
        if (!endpoint)
            continue;
        out.push_back({int32_t(id), endpoint->host, endpoint->port,
                       broker.rack.empty() ? std::nullopt : std::optional<std::string>(broker.rack)});
    }
    return out;
}

int32_t controllerToName(const std::vector<ListedBroker> &listed, uint64_t self)
{
    if (listed.empty())
        return -1;
    const bool selfListed =
        std::any_of(listed.begin(), listed.end(), [self](const ListedBroker &b) { return uint64_t(b.id) == self; });
    return selfListed ? int32_t(self) : listed.front().id;
}

} // namespace skiff::kafka
