#pragma once
// skiffctl's commands; each returns the process exit code (CtlCommon.h).

#include "admin.pb.h"
#include "ctl/CtlOptions.h"

#include <string>

namespace skiff::ctl {

int runStatus(const CtlOptions &options);
int runBrokers(const CtlOptions &options);
int runTopics(const CtlOptions &options);
int runRaft(const CtlOptions &options);
int runLocks(const CtlOptions &options);
int runWatch(const CtlOptions &options);
// Every --admin node's recent events (GetEvents) merged by the nodes' times.
int runEvents(const CtlOptions &options);
// Every broker's DescribePartitions merged: replica progress comes from each partition's leader.
int runPartitions(const CtlOptions &options);
// Live throughput and Produce/Fetch p99 of every broker (two status snapshots an interval apart).
int runTop(const CtlOptions &options);
// "2:0,3:15": each follower's lag as the leader reported it; "-" when this answer has none.
std::string replicaLagText(const admin::Partition &p);
// Every broker's DescribeGroups merged with lags from the partitions' leaders (admin/GroupViews.h).
int runGroups(const CtlOptions &options);
// users (the image's SCRAM users), users set NAME (password on stdin), users delete NAME.
int runUsers(const CtlOptions &options);
// acls (the image's ACLs, filtered by the selectors given), acls add, acls remove.
int runAcls(const CtlOptions &options);
// transfer-leader, add-node, remove-node, create-topic, delete-topic, elect-leaders; kExitUsage for other names.
int runMutation(const CtlOptions &options);

} // namespace skiff::ctl
