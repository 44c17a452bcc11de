#pragma once
// Consumer groups as skiffctl and the dashboard show them, and the one rule for a group's lag.
//
// A group lives on one node, the leader of its __consumer_offsets partition, which knows its
// members and committed offsets but the high watermark only of the partitions it hosts a replica
// of. The cluster view asks every node (DescribeGroups) and merges: each group from its
// coordinator's answer, its unknown lags filled from the high watermark that each partition's
// leader reported in DescribePartitions (mergePartitionViews).

#include "admin.pb.h"

#include <cstdint>
#include <vector>

namespace skiff::admin {

// How far a partition's log has moved past a group's committed offset: high watermark minus
// committed, never below 0 (a follower's watermark may trail a commit made against the leader's).
int64_t consumerLag(int64_t highWatermark, int64_t committed);

// Sets `offset`'s high watermark, lag and lag_known by consumerLag. A committed offset below 0
// (a client committed "no position") has no lag: lag_known stays false.
void setLag(GroupOffset &offset, int64_t highWatermark);

// The sum of `group`'s known lags, stored in its total_lag too.
int64_t updateTotalLag(Group &group);

// The cluster's groups, by group id: each once (a group two nodes answered for while its
// coordinator moved is taken from the answer with the higher generation), every offset whose lag
// its coordinator did not know filled from the partition leader's high watermark in `partitions`
// when that leader reported one, and total_lag summed.
GroupList mergeGroupViews(const std::vector<GroupList> &answers, const PartitionList &partitions);

} // namespace skiff::admin
