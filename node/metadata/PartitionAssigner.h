#pragma once
// Spreads partitions and their leaders across brokers: replica r of partition p goes to broker
// (start + p + r) mod n, so the preferred leaders (first replicas) rotate over every broker and
// no broker holds two replicas of one partition.

#include "common/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::metadata {

struct MetadataImage;

// Unfenced brokers of the image, by id.
std::vector<uint64_t> assignableBrokers(const MetadataImage &image);

// Replica lists for partitions [firstPartition, firstPartition + count). `start` rotates the
// layout (callers pass something topic-specific so topics do not all lead on the same broker).
Result<std::vector<std::vector<uint64_t>>> assignReplicas(const std::vector<uint64_t> &brokers, int32_t firstPartition,
                                                          int32_t count, int16_t replicationFactor, uint64_t start);

// A topic-specific `start` for assignReplicas, so that topics do not all put their first leader
// on one broker. Stable across nodes and versions: every proposer of a topic computes the same.
uint64_t rotationForTopic(const std::string &name);

} // namespace skiff::metadata
