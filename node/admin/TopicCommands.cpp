#include "admin/TopicCommands.h"

#include "metadata/PartitionAssigner.h"
#include "metadata/PartitionLimit.h"

#include <QUuid>

#include <map>

namespace skiff::admin {

Result<metadata::Command> buildCreateTopic(const AdminContext &context, const metadata::MetadataImage &image,
                                           const CreateTopic &request)
{
    const std::string &name = request.name();
    SKIFF_RETURN_IF_ERROR(metadata::validateTopicName(name));
    if (image.topic(name))
        return alreadyExists("topic '" + name + "' already exists");
    const std::map<std::string, std::string> configs(request.configs().begin(), request.configs().end());
    if (!configs.empty()) {
        if (!context.validateTopicConfigs)
            return invalidArgument("this node takes no topic configs over the admin socket");
        SKIFF_RETURN_IF_ERROR(context.validateTopicConfigs(configs));
    }
    const int32_t partitions = request.partitions() == 0 ? context.defaultPartitions : request.partitions();
    const int32_t replicas = request.replication_factor() == 0 ? context.defaultReplicationFactor
                                                               : request.replication_factor();
    if (partitions < 1 || partitions > 100000)
        return invalidArgument("number of partitions must be from 1 to 100000, got " + std::to_string(partitions));
    if (replicas < 1 || replicas > 32767)
        return invalidArgument("replication factor must be at least 1, got " + std::to_string(replicas));
    auto layout = metadata::assignReplicas(metadata::assignableBrokers(image), 0, partitions, int16_t(replicas),
                                           metadata::rotationForTopic(name));
    if (!layout.isOk())
        return invalidArgument(layout.status().message());

    metadata::Command command;
    auto *create = command.mutable_create_topic();
    create->set_name(name);
    const QByteArray uuid = QUuid::createUuid().toRfc4122();
    create->set_topic_id(uuid.constData(), size_t(uuid.size()));
    create->mutable_configs()->insert(configs.begin(), configs.end());
    for (int32_t p = 0; p < partitions; ++p) {
        auto *a = create->add_partitions();
        a->set_partition(p);
        for (uint64_t b : layout.value()[size_t(p)])
            a->add_replicas(b);
    }
    if (Status s = metadata::checkPartitionLimit(image, layout.value(), context.maxPartitionsPerBroker); !s.isOk())
        return s.withContext("topic '" + name + "'");
    create->set_max_partitions_per_broker(context.maxPartitionsPerBroker);
    return command;
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
