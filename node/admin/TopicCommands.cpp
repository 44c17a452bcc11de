#include "admin/TopicCommands.h"

#include "admin/AdminProtocol.h"

#include <algorithm>

namespace skiff::admin {

metadata::NewTopic newTopicOf(const CreateTopic &request)
{
    metadata::NewTopic topic;
    topic.name = request.name();
    if (request.partitions() != 0)
        topic.partitions = request.partitions();
    if (request.replication_factor() != 0)
        topic.replicationFactor = request.replication_factor();
    topic.configs.insert(request.configs().begin(), request.configs().end());
    return topic;
}

ErrorCode errorCodeOfRefusal(metadata::TopicRefusal reason)
{
    using metadata::TopicRefusal;
    switch (reason) {
    case TopicRefusal::AlreadyExists: return ERROR_CODE_ALREADY_EXISTS;
    case TopicRefusal::UnknownTopic: return ERROR_CODE_NOT_FOUND;
    case TopicRefusal::InvalidName:
    case TopicRefusal::InvalidPartitionCount:
    case TopicRefusal::InvalidReplicationFactor:
    case TopicRefusal::InvalidReplicaAssignment:
    case TopicRefusal::AssignmentWithCounts:
    case TopicRefusal::InvalidConfig:
    case TopicRefusal::PartitionLimit: return ERROR_CODE_INVALID_REQUEST;
    }
    return ERROR_CODE_INTERNAL;
}

Result<metadata::Command> buildDeleteTopic(const metadata::MetadataImage &image, const DeleteTopic &request)
{
    if (!image.topic(request.name()))
        return notFound("topic '" + request.name() + "' does not exist");
    metadata::Command command;
    command.mutable_delete_topic()->set_name(request.name());
    return command;
}

std::optional<std::vector<metadata::ElectionTarget>> electionTargets(const metadata::MetadataImage &image,
                                                                     const ElectLeaders &request)
{
    if (request.partitions().empty())
        return std::nullopt;
    std::vector<metadata::ElectionTarget> targets;
    for (const ElectLeaders::Target &t : request.partitions()) {
        const metadata::TopicInfo *topic = image.topic(t.topic());
        if (t.partition() >= 0 || !topic) {
            targets.push_back({t.topic(), t.partition()});
            continue;
        }
        for (const metadata::PartitionInfo &p : topic->partitions)
            targets.push_back({t.topic(), p.partition});
    }
    return targets;
}

Response electionResponse(uint64_t requestId, const metadata::ElectionPlan &plan)
{
    const auto elected = std::count_if(plan.results.begin(), plan.results.end(), [](const auto &r) {
        return r.outcome == metadata::ElectionOutcome::Elected;
    });
    std::string detail = std::to_string(elected) + " of " + std::to_string(plan.results.size())
                         + " partition(s) elected their leader";
    for (const metadata::PartitionElection &r : plan.results) {
        detail += "\n" + r.topic + (r.partition < 0 ? "" : "-" + std::to_string(r.partition)) + " "
                  + metadata::electionOutcomeName(r.outcome);
        if (!r.message.empty())
            detail += ": " + r.message;
    }
    Response response;
    response.set_protocol_version(kProtocolVersion);
    response.set_request_id(requestId);
    response.mutable_done()->set_detail(detail);
    return response;
}

} // namespace skiff::admin
