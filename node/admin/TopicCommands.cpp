#include "admin/TopicCommands.h"

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

} // namespace skiff::admin
