#include "metadata/PartitionAssigner.h"

#include "metadata/MetadataImage.h"

namespace skiff::metadata {

std::vector<uint64_t> assignableBrokers(const MetadataImage &image)
{
    std::vector<uint64_t> ids;
    for (const auto &[id, broker] : image.brokers)
        if (!broker.fenced)
            ids.push_back(id);
    return ids;
}

Result<std::vector<std::vector<uint64_t>>> assignReplicas(const std::vector<uint64_t> &brokers, int32_t firstPartition,
                                                          int32_t count, int16_t replicationFactor, uint64_t start)
{
    // The topic planner refuses a replication factor below 1 before it places anything (the rule
    // lives there); this only keeps the loop below meaningful.
    if (replicationFactor < 1)
        return internalError("replicas placed with replication factor " + std::to_string(replicationFactor));
    if (size_t(replicationFactor) > brokers.size())
        return invalidArgument("replication factor " + std::to_string(replicationFactor) + " is larger than the "
                               + std::to_string(brokers.size()) + " available (unfenced) brokers");
    std::vector<std::vector<uint64_t>> out;
    out.reserve(size_t(count));
    for (int32_t p = firstPartition; p < firstPartition + count; ++p) {
        std::vector<uint64_t> replicas;
        for (int16_t r = 0; r < replicationFactor; ++r)
            replicas.push_back(brokers[(start + uint64_t(p) + uint64_t(r)) % brokers.size()]);
        out.push_back(std::move(replicas));
    }
    return out;
}

uint64_t rotationForTopic(const std::string &name)
{
    uint64_t h = 1469598103934665603ull;   // FNV-1a
    for (char c : name)
        h = (h ^ uint8_t(c)) * 1099511628211ull;
    return h;
}

} // namespace skiff::metadata
