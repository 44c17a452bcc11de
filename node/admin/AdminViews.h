#pragma once
// Read-only answers of the admin socket, built from the published cluster status and metadata
// image (pointers taken once per answer, so each answer is one consistent view) and the lock
// registry. Pure functions of what they are given: no locks, no waiting.

#include "admin.pb.h"
#include "admin/AdminContext.h"
#include "cluster/ClusterStatus.h"
#include "metadata/MetadataImage.h"

#include <string>
#include <vector>

namespace skiff::admin {

StatusSnapshot buildStatus(const AdminContext &context, const cluster::ClusterStatus &status,
                           const metadata::MetadataImage &image);
RaftDescription describeRaft(const cluster::ClusterStatus &status, const metadata::MetadataImage &image);
BrokerList listBrokers(const cluster::ClusterStatus &status, const metadata::MetadataImage &image);
TopicList listTopics(const metadata::MetadataImage &image);
// NotFound naming the first unknown topic. `led` (this node's ReplicationView) fills the
// replication of the partitions `nodeId` leads in the epoch `image` names; the others have none.
Result<PartitionList> describePartitions(const metadata::MetadataImage &image, const std::vector<std::string> &topics,
                                         uint64_t nodeId = 0, const std::vector<kafka::LedPartition> &led = {});
LockStatsList lockStats();
// The groups of `coordinated` (this node's, as its coordinator published them) that `names` names,
// or all of them when it names none; a named group not coordinated here is left out. Lag is
// set where the node knows the partition's high watermark (GroupViews.h).
GroupList describeGroups(const std::vector<kafka::group::GroupDescription> &coordinated,
                         const std::vector<std::string> &names, uint64_t nodeId);

} // namespace skiff::admin
