#pragma once
// How the controller changes a partition's leader and ISR: the one home of the election rule, the
// rule for a broker leaving every ISR, the epoch rule, and the checks of AlterPartition. The
// state machine calls these when it applies AlterPartition, ElectLeaders, and a broker's fence,
// unfence, registration, removal or controlled shutdown. They read only the image, so every node
// applying the same entry decides alike (Kafka: PartitionChangeBuilder, ReplicationControlManager).

#include "metadata/MetadataImage.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace skiff::metadata {

class AlterPartition;

// The topic config that lets a partition with no live ISR member take any live replica as leader
// (and lose what only the ISR had). Read from the topic's own overrides: the default (false) is
// fixed, not a broker setting, because every node must decide alike.
inline constexpr const char *kUncleanLeaderElectionConfig = "unclean.leader.election.enable";
bool uncleanElectionEnabled(const TopicInfo &topic);

// AlterPartition's outcomes, checked in this order (Kafka's validateAlterPartitionData). The
// Kafka layer maps them to the error codes of the same names. Carried in ApplyResult.value.
enum class AlterPartitionOutcome : uint64_t {
    Ok = 0,
    StaleBrokerEpoch,          // the sender's broker epoch is not its registration's
    UnknownTopicOrPartition,   // no such partition, or the topic id is not the topic's
    NotController,             // leader or partition epoch newer than the image's
    FencedLeaderEpoch,         // leader epoch older than the image's
    InvalidRequest,            // sender not leader; ISR not within replicas or without the leader; RECOVERING with ISR > 1
    InvalidUpdateVersion,      // partition epoch older than the image's
    IneligibleReplica,         // an ISR member unregistered, fenced, shutting down or of another incarnation
};
const char *alterPartitionOutcomeName(AlterPartitionOutcome outcome);

// Whether `broker` may lead or be in an ISR: registered, unfenced, not in controlled shutdown.
bool isAcceptableReplica(const MetadataImage &image, uint64_t broker);

// A decided change to one partition; what is unset stays.
struct PartitionChange {
    std::optional<uint64_t> leader;   // 0: no leader
    std::optional<std::vector<uint64_t>> isr;
    std::optional<LeaderRecovery> leaderRecovery;
};

// Applies `change` by Kafka's epoch rules (PartitionRegistration.merge, KAFKA-15021): a new leader
// bumps the leader epoch; any change bumps the partition epoch; an ISR change alone (shrink or
// expand) leaves the leader epoch. Returns whether anything changed.
bool applyChange(PartitionInfo &partition, const PartitionChange &change);

struct Election {
    uint64_t leader = 0;   // 0: no one can lead
    bool unclean = false;  // not from the ISR: ISR = [leader], Recovering
};
// The leader `partition` should have with ISR `isr` (Kafka's electAnyLeader): the current leader
// if it is in `isr` and acceptable; else the first replica, in replica order, in `isr` and
// acceptable; else, when `allowUnclean`, the first acceptable replica at all; else none. A replica
// whose broker reported the partition's log offline (partition.offlineReplicas) is not
// acceptable for it: it could neither append nor serve.
Election electLeader(const MetadataImage &image, const PartitionInfo &partition, const std::vector<uint64_t> &isr,
                     bool allowUnclean);

// `broker` is fenced, removed or shutting down (the image says so already): it leaves the ISR
// unless it is the last member (the partition then waits for it: KIP-841 without ELR), and a
// partition it led elects again, by electLeader, among the rest.
PartitionChange withoutBroker(const MetadataImage &image, const PartitionInfo &partition, uint64_t broker,
                              bool allowUnclean);
// `broker` reported the partition's log offline: it cannot open it, or a write to it failed (a
// full disk); the mark is in partition.offlineReplicas already. It leaves the ISR unless it is the
// last member, and a partition it led elects, cleanly, among the rest (Kafka moves the leaderships
// of a failed log directory the same way). Unlike a fenced broker it keeps the leadership when no
// other member can take it: it still answers reads, and produces get KAFKA_STORAGE_ERROR until its
// disk takes writes again, where a leaderless partition would serve nothing at all.
PartitionChange withoutStorageOf(const MetadataImage &image, const PartitionInfo &partition, uint64_t broker);
// A leaderless partition elects, by electLeader (a broker came back); others do not change.
PartitionChange electIfLeaderless(const MetadataImage &image, const PartitionInfo &partition, bool allowUnclean);
// Preferred election: replicas[0] leads if it is in the ISR, acceptable and not leading already.
PartitionChange electPreferred(const MetadataImage &image, const PartitionInfo &partition);

struct AlterPartitionDecision {
    AlterPartitionOutcome outcome = AlterPartitionOutcome::Ok;
    std::string message;      // why it was refused, for the proposer's log
    PartitionChange change;   // on Ok: the new ISR (in replica order) and recovery state
};
AlterPartitionDecision validateAlterPartition(const MetadataImage &image, const AlterPartition &request);

// A partition that a command changed, for the proposer and for the narration.
struct ChangedPartition {
    std::string topic;
    int32_t partition = 0;
    uint64_t oldLeader = 0;
    uint64_t newLeader = 0;
    std::vector<uint64_t> oldIsr;
    std::vector<uint64_t> newIsr;
};

// Decides a change for every partition of every topic and applies those that change something,
// copying only the topics they are in. `decide` sees the image as it was before any of them.
std::vector<ChangedPartition> changePartitions(MetadataImage &image,
                                               const std::function<PartitionChange(const TopicInfo &, const PartitionInfo &)> &decide);
// Applies `change` to one partition (which exists); nullopt when it changes nothing.
std::optional<ChangedPartition> changePartition(MetadataImage &image, const std::string &topic, int32_t partition,
                                                const PartitionChange &change);

} // namespace skiff::metadata
