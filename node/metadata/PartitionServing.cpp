#include "metadata/PartitionServing.h"

#include <algorithm>

namespace skiff::metadata {
namespace {

bool brokerDown(const MetadataImage &image, uint64_t id)
{
    const BrokerInfo *b = image.broker(id);
    return !b || b->fenced;
}

} // namespace

PartitionServing servingOf(const MetadataImage &image, const PartitionInfo &partition, uint64_t storageOfflineHere)
{
    auto storageOffline = [&](uint64_t r) {
        return (storageOfflineHere != 0 && r == storageOfflineHere)
               || std::find(partition.offlineReplicas.begin(), partition.offlineReplicas.end(), r)
                      != partition.offlineReplicas.end();
    };
    PartitionServing out;
    for (uint64_t r : partition.replicas)
        if (brokerDown(image, r) || storageOffline(r))
            out.offlineReplicas.push_back(r);
    // A leader that cannot serve is no leader: with data on one replica only there is no other to
    // take over, so clients wait (LEADER_NOT_AVAILABLE) until it is back.
    if (partition.leader == 0 || brokerDown(image, partition.leader))
        out.state = PartitionState::Offline;
    else if (storageOffline(partition.leader))
        out.state = PartitionState::StorageOffline;
    else
        out.state = PartitionState::Ok;
    out.leader = out.state == PartitionState::Ok ? partition.leader : 0;
    return out;
}

} // namespace skiff::metadata
