#include "metadata/MetadataStateMachine.h"

#include "metadata.pb.h"

#include <algorithm>

namespace skiff::metadata {
namespace {

PartitionInfo partitionFrom(const PartitionAssignment &a)
{
    PartitionInfo p;
    p.partition = a.partition();
    p.replicas.assign(a.replicas().begin(), a.replicas().end());
    p.isr = p.replicas;
    p.leader = p.replicas.empty() ? 0 : p.replicas.front();
    return p;
}

// Copy-on-write of one topic: the image shares every untouched topic with its predecessor.
std::shared_ptr<TopicInfo> mutableTopic(MetadataImage &image, const std::string &name)
{
    auto it = image.topics.find(name);
    if (it == image.topics.end())
        return nullptr;
    auto copy = std::make_shared<TopicInfo>(*it->second);
    it->second = copy;
    return copy;
}

} // namespace

MetadataStateMachine::MetadataStateMachine() : m_image(std::make_shared<MetadataImage>()) {}

ApplyResult MetadataStateMachine::apply(uint64_t index, const Command &command)
{
    auto next = std::make_shared<MetadataImage>(*m_image);
    ApplyResult result = applyTo(*next, command);
    next->appliedIndex = index;
    m_image = std::move(next);
    return result;
}

ApplyResult MetadataStateMachine::applyTo(MetadataImage &next, const Command &command)
{
    switch (command.command_case()) {
    case Command::kRegisterBroker: {
        const auto &c = command.register_broker();
        // One live process per broker id: a second process claiming the id of an unfenced
        // broker is a config mistake (two nodes with one node.id) or a restart that came back
        // before its predecessor's session timed out; either way it waits for the fence.
        if (auto it = next.brokers.find(c.broker_id()); it != next.brokers.end() && !it->second.fenced
            && it->second.incarnationId != c.incarnation_id())
            return {failedPrecondition("broker id " + std::to_string(c.broker_id()) + " is registered by a live process (incarnation "
                                       + it->second.incarnationId + ", Kafka address " + it->second.kafkaHost + ":"
                                       + std::to_string(it->second.kafkaPort)
                                       + "); it is accepted once that one is fenced (broker.session.timeout.ms)"
                                       + " or, if two nodes share this node.id, give each its own")};
        BrokerInfo &b = next.brokers[c.broker_id()];
        b.id = c.broker_id();
        b.incarnationId = c.incarnation_id();
        b.kafkaHost = c.kafka_host();
        b.kafkaPort = static_cast<uint16_t>(c.kafka_port());
        b.rack = c.rack();
        b.adminAddress = c.admin_address();
        b.raftAddress = c.raft_address();
        b.fenced = false;
        return {};
    }
    case Command::kFenceBroker:
    case Command::kUnfenceBroker: {
        const bool fence = command.has_fence_broker();
        const uint64_t id = fence ? command.fence_broker().broker_id() : command.unfence_broker().broker_id();
        const std::string &incarnation = fence ? command.fence_broker().incarnation_id() : command.unfence_broker().incarnation_id();
        auto it = next.brokers.find(id);
        if (it == next.brokers.end())
            return {notFound("broker " + std::to_string(id) + " is not registered")};
        if (!incarnation.empty() && it->second.incarnationId != incarnation)
            return {failedPrecondition("broker " + std::to_string(id) + " has restarted since (incarnation "
                                       + it->second.incarnationId + ")")};
        it->second.fenced = fence;
        return {};
    }
    case Command::kRemoveBroker:
        if (next.brokers.erase(command.remove_broker().broker_id()) == 0)
            return {notFound("broker " + std::to_string(command.remove_broker().broker_id()) + " is not registered")};
        return {};
    case Command::kCreateTopic: {
        const auto &c = command.create_topic();
        if (next.topics.count(c.name()))
            return {alreadyExists("topic '" + c.name() + "' already exists")};
        if (c.partitions().empty())
            return {invalidArgument("topic '" + c.name() + "' needs at least one partition")};
        auto topic = std::make_shared<TopicInfo>();
        topic->name = c.name();
        std::copy_n(c.topic_id().begin(), std::min<size_t>(16, c.topic_id().size()), topic->id.begin());
        for (const auto &a : c.partitions())
            topic->partitions.push_back(partitionFrom(a));
        for (int i = 0; i < int(topic->partitions.size()); ++i)
            topic->partitions[i].partition = i;
        topic->configs.insert(c.configs().begin(), c.configs().end());
        next.topics[c.name()] = std::move(topic);
        return {};
    }
    case Command::kDeleteTopic:
        if (next.topics.erase(command.delete_topic().name()) == 0)
            return {notFound("topic '" + command.delete_topic().name() + "' does not exist")};
        return {};
    case Command::kCreatePartitions: {
        const auto &c = command.create_partitions();
        auto topic = mutableTopic(next, c.name());
        if (!topic)
            return {notFound("topic '" + c.name() + "' does not exist")};
        for (const auto &a : c.new_partitions()) {
            PartitionInfo p = partitionFrom(a);
            p.partition = static_cast<int32_t>(topic->partitions.size());
            topic->partitions.push_back(std::move(p));
        }
        return {};
    }
    case Command::kAlterTopicConfig: {
        const auto &c = command.alter_topic_config();
        auto topic = mutableTopic(next, c.name());
        if (!topic)
            return {notFound("topic '" + c.name() + "' does not exist")};
        for (const auto &[k, v] : c.set())
            topic->configs[k] = v;
        for (const auto &k : c.remove())
            topic->configs.erase(k);
        return {};
    }
    case Command::kAssignPartition:
    case Command::kSetPartitionLeader:
    case Command::kUpdateIsr: {
        const std::string &name = command.has_assign_partition() ? command.assign_partition().topic()
                                  : command.has_set_partition_leader() ? command.set_partition_leader().topic()
                                                                       : command.update_isr().topic();
        const int32_t partition = command.has_assign_partition() ? command.assign_partition().assignment().partition()
                                  : command.has_set_partition_leader() ? command.set_partition_leader().partition()
                                                                       : command.update_isr().partition();
        auto topic = mutableTopic(next, name);
        if (!topic)
            return {notFound("topic '" + name + "' does not exist")};
        if (partition < 0 || partition >= int32_t(topic->partitions.size()))
            return {notFound("topic '" + name + "' has no partition " + std::to_string(partition))};
        PartitionInfo &p = topic->partitions[partition];
        if (command.has_assign_partition()) {
            p = partitionFrom(command.assign_partition().assignment());
            p.partition = partition;
        } else if (command.has_set_partition_leader()) {
            p.leader = command.set_partition_leader().leader();
            ++p.leaderEpoch;
        } else {
            p.isr.assign(command.update_isr().isr().begin(), command.update_isr().isr().end());
        }
        return {};
    }
    case Command::kAllocateProducerIds: {
        const uint64_t first = next.nextProducerId;
        next.nextProducerId += std::max<uint32_t>(1, command.allocate_producer_ids().count());
        return {Status::ok(), first};
    }
    case Command::COMMAND_NOT_SET:
        break;
    }
    return {internalError("metadata command with no command set (unknown to this build?)")};
}

} // namespace skiff::metadata
