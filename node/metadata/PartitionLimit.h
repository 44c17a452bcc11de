#pragma once
// max.partitions.per.broker: the most partition replicas one broker may host. Every path that
// adds partitions (Kafka CreateTopics, CreatePartitions and auto-creation, the admin socket's
// CreateTopic) calls this before proposing, and the state machine calls it again when it applies
// the command (the proposer's limit travels in the command): requests checked against the same
// image, e.g. the topics of one CreateTopics request, cannot overshoot the limit together.

#include "common/Status.h"
#include "metadata.pb.h"

#include <cstdint>
#include <vector>

namespace skiff::metadata {

struct MetadataImage;

// FailedPrecondition naming the first broker (by id) that would host more than `limit` replicas
// if partitions with these replica lists were added to `image`, with what it hosts and what they
// add. A limit of 0 or less means no limit.
Status checkPartitionLimit(const MetadataImage &image, const std::vector<std::vector<uint64_t>> &newPartitions,
                           int64_t limit);

// The replica lists of a CreateTopic's or CreatePartitions' assignments.
std::vector<std::vector<uint64_t>> replicaLists(const google::protobuf::RepeatedPtrField<PartitionAssignment> &assignments);

} // namespace skiff::metadata
