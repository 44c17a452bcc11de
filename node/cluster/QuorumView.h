#pragma once
// Kafka's DescribeQuorum from Skiff's metadata Raft: the leader's published status (progress of
// every member, the followers' answer times) turned into the quorum description, and that
// description on the peer wire, for a follower that asks the leader on a client's behalf.
// Pure functions of what they are given: any thread.

#include "cluster.pb.h"
#include "cluster/ClusterStatus.h"
#include "common/Status.h"
#include "metadata/QuorumDescription.h"

#include <cstdint>

namespace skiff::cluster {

// The quorum as `status` shows it, at `nowUnixMs` (the leader's own times). Unavailable, naming
// the leader known, when `status` is not a leader's. Voters and observers (learners) come in id
// order; a member the leader has not heard from this leadership has log end offset -1.
Result<metadata::QuorumDescription> describeQuorum(const ClusterStatus &status, int64_t nowUnixMs);

QuorumReply toQuorumReply(uint64_t requestId, const Result<metadata::QuorumDescription> &description);
// The reply's error comes back as Unavailable (the asker's client retries).
Result<metadata::QuorumDescription> fromQuorumReply(const QuorumReply &reply);

} // namespace skiff::cluster
