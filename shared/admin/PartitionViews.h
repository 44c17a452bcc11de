#pragma once
// A cluster's partitions from every node's DescribePartitions answer, for skiffctl and the
// dashboard. Each node knows the metadata (all agree once they have applied the same entries) but
// only the replication of the partitions it leads: the merge takes each partition's metadata from
// the answer with the newest partition epoch and its replication from the answer whose leader
// epoch is that partition's (its current leader); a partition whose leader did not answer has none.

#include "admin.pb.h"

#include <vector>

namespace skiff::admin {

PartitionList mergePartitionViews(const std::vector<PartitionList> &answers);

// The follower of `p` that is furthest behind its leader's log end, as the leader reported it;
// 0 when it reported none (or has no followers).
int64_t maxFollowerLag(const Partition &p);

} // namespace skiff::admin
