#pragma once
// Leader elections asked for by a client (Kafka's ElectLeaders), an operator (skiffctl
// elect-leaders) or the automatic rebalance: which partitions to propose in one ElectLeaders
// command, and each partition's outcome with Kafka's meaning (ReplicationControlManager
// .electLeader). The outcome is decided on the image before the proposal and settled on the
// image after it is applied, so every edge answers alike.

#include "common/Status.h"
#include "metadata.pb.h"
#include "metadata/MetadataImage.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::metadata {

enum class ElectionOutcome {
    Elected,                // the partition got the leader it was asked for
    NotNeeded,              // preferred: replicas[0] leads already; unclean: it has a leader
    PreferredNotAvailable,  // replicas[0] is not in the ISR, or fenced or shutting down
    EligibleNotAvailable,   // unclean: no live replica can lead
    UnknownPartition,       // no such topic or partition
    Failed,                 // the proposal failed (message says why)
};
// Kafka's spelling of the outcome's error (NONE for Elected), for logs and skiffctl.
const char *electionOutcomeName(ElectionOutcome outcome);

struct ElectionTarget {
    std::string topic;
    int32_t partition = 0;
};

struct PartitionElection {
    std::string topic;
    int32_t partition = 0;
    ElectionOutcome outcome = ElectionOutcome::Elected;
    std::string message;   // empty on Elected
};

struct ElectionPlan {
    // One per asked partition (or, with no list, per partition that needs an election: Kafka
    // leaves out the rest), in the asked order. Those proposed say Elected until settled.
    std::vector<PartitionElection> results;
    std::optional<Command> command;   // ElectLeaders of the partitions that can elect; none: nothing to propose
};

// What an election of `type` would do for `partition` of `topic` on `image`: Elected means it
// would change the leader.
ElectionOutcome electionOutcome(const MetadataImage &image, const TopicInfo &topic, const PartitionInfo &partition,
                                ElectionType type);

// `targets` nullopt: every partition.
ElectionPlan planElections(const MetadataImage &image, ElectionType type, const std::optional<std::vector<ElectionTarget>> &targets);

// Settles the proposed partitions of `plan` once its command was applied with `applied`, on the
// image after it: a partition elected says Elected, others why not.
void settleElections(ElectionPlan &plan, const MetadataImage &after, ElectionType type, const Status &applied);

} // namespace skiff::metadata
