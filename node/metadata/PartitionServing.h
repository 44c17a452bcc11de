#pragma once
// Who serves a partition, and whether anyone can: the one rule behind every view of it. Kafka
// Metadata (leader -1 and LEADER_NOT_AVAILABLE when no one serves, offline_replicas), Produce,
// Fetch and FindCoordinator (a leader that cannot serve is not asked), and the admin socket
// (DescribePartitions, ListTopics), which carries the state to skiffctl and the dashboard so
// they show it without deciding it again.

#include "metadata/MetadataImage.h"

#include <cstdint>
#include <vector>

namespace skiff::metadata {

enum class PartitionState {
    Ok,               // its leader is registered, unfenced and can open the log
    Offline,          // no leader, or its leader is unregistered or fenced
    StorageOffline,   // its leader cannot open or create the partition's log
};

struct PartitionServing {
    uint64_t leader = 0;   // the broker that serves it; 0: none (Kafka: -1, LEADER_NOT_AVAILABLE)
    PartitionState state = PartitionState::Offline;
    // Replicas that cannot serve (broker unregistered or fenced, or its log cannot be opened), in
    // the order of the replica list: Kafka Metadata's offline_replicas.
    std::vector<uint64_t> offlineReplicas;
};

// `storageOfflineHere`: a broker that knows its own copy cannot be opened before the metadata
// says so (the report travels through the log); 0 when there is none.
PartitionServing servingOf(const MetadataImage &image, const PartitionInfo &partition, uint64_t storageOfflineHere = 0);

} // namespace skiff::metadata
