#pragma once
// The admin socket's CreateTopic / DeleteTopic / ElectLeaders as metadata commands. Creation is planned by the
// same planner as Kafka's CreateTopics (metadata/TopicPlanner.h); this edge only maps its request
// to the planner's and a refusal to an admin error code, with the planner's message unchanged.

#include "admin.pb.h"
#include "metadata.pb.h"
#include "metadata/LeaderElections.h"
#include "metadata/MetadataImage.h"
#include "metadata/TopicPlanner.h"

namespace skiff::admin {

// A CreateTopic as the planner's request; 0 partitions or replication factor ask for the node's default.
metadata::NewTopic newTopicOf(const CreateTopic &request);
// The admin error code of a planner's refusal.
ErrorCode errorCodeOfRefusal(metadata::TopicRefusal reason);

Result<metadata::Command> buildDeleteTopic(const metadata::MetadataImage &image, const DeleteTopic &request);

// The partitions an ElectLeaders names (a topic's partition -1: each of its partitions on
// `image`); nullopt when it names none (every partition).
std::optional<std::vector<metadata::ElectionTarget>> electionTargets(const metadata::MetadataImage &image,
                                                                     const ElectLeaders &request);
// The answer to an ElectLeaders: Done, a summary line and one line per partition with Kafka's
// error name ("t-0 NONE", "t-1 ELECTION_NOT_NEEDED: ...").
Response electionResponse(uint64_t requestId, const metadata::ElectionPlan &plan);

} // namespace skiff::admin
