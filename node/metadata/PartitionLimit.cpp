#include "metadata/PartitionLimit.h"

#include "metadata/MetadataImage.h"

#include <map>

namespace skiff::metadata {

Status checkPartitionLimit(const MetadataImage &image, const std::vector<std::vector<uint64_t>> &newPartitions,
                           int64_t limit)
{
    if (limit <= 0 || newPartitions.empty())
        return Status::ok();
    std::map<uint64_t, int64_t> added;
    for (const auto &replicas : newPartitions)
        for (uint64_t broker : replicas)
            ++added[broker];
    // Only the brokers that gain partitions are counted; one pass over the image.
    std::map<uint64_t, int64_t> hosted;
    for (const auto &[name, topic] : image.topics)
        for (const auto &p : topic->partitions)
            for (uint64_t broker : p.replicas)
                if (added.count(broker))
                    ++hosted[broker];
    for (const auto &[broker, adds] : added) {
        const int64_t has = hosted[broker];
        if (has + adds > limit)
            return failedPrecondition("broker " + std::to_string(broker) + " would host " + std::to_string(has + adds)
                                      + " partitions, more than max.partitions.per.broker = " + std::to_string(limit)
                                      + " (it hosts " + std::to_string(has) + ", this adds " + std::to_string(adds)
                                      + "); delete topics, spread them over more brokers or raise the limit");
    }
    return Status::ok();
}

std::vector<std::vector<uint64_t>> replicaLists(const google::protobuf::RepeatedPtrField<PartitionAssignment> &assignments)
{
    std::vector<std::vector<uint64_t>> out;
    out.reserve(size_t(assignments.size()));
    for (const auto &a : assignments)
        out.emplace_back(a.replicas().begin(), a.replicas().end());
    return out;
}

} // namespace skiff::metadata
