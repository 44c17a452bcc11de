#pragma once
// The facts of Kafka's topic rules that every layer needs, in one place: the metadata planner
// (node/metadata/TopicPlanner.h) applies them to every topic creation, Metadata answers
// INVALID_TOPIC_EXCEPTION by the name rule, the log layer (whose directories are named after
// topics) refuses a partition under an illegal name, and the config loader keeps num.partitions
// and default.replication.factor within the limits.

#include "common/Status.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace skiff {

// The longest legal topic name (Kafka's limit: a partition directory "<topic>-<partition>"
// must fit a 255-byte file name).
inline constexpr size_t kMaxTopicNameLength = 249;
// The most partitions one topic may have.
inline constexpr int32_t kMaxPartitionsPerTopic = 100000;
// The most replicas a partition may have: Kafka's replication factor is an int16 on the wire.
inline constexpr int32_t kMaxReplicationFactor = 32767;

// InvalidArgument unless `name` is 1-249 characters of [a-zA-Z0-9._-] and neither "." nor "..".
Status validateTopicName(std::string_view name);

} // namespace skiff
