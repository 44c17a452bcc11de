#include "metadata/TopicPlanner.h"

#include "common/TopicRules.h"
#include "metadata/MetadataImage.h"
#include "metadata/PartitionAssigner.h"
#include "metadata/PartitionLimit.h"

#include <QUuid>

#include <algorithm>
#include <set>

namespace skiff::metadata {
namespace {

Refusal refuse(TopicRefusal reason, std::string message) { return {reason, std::move(message)}; }

std::optional<Refusal> checkPartitionCount(int64_t count)
{
    if (count < 1)
        return refuse(TopicRefusal::InvalidPartitionCount, "number of partitions must be at least 1, got " + std::to_string(count));
    if (count > kMaxPartitionsPerTopic)
        return refuse(TopicRefusal::InvalidPartitionCount, "number of partitions must be at most "
                                                               + std::to_string(kMaxPartitionsPerTopic) + ", got " + std::to_string(count));
    return std::nullopt;
}

std::optional<Refusal> checkReplicationFactor(int64_t replicationFactor)
{
    if (replicationFactor < 1)
        return refuse(TopicRefusal::InvalidReplicationFactor,
                      "replication factor must be at least 1, got " + std::to_string(replicationFactor));
    if (replicationFactor > kMaxReplicationFactor)
        return refuse(TopicRefusal::InvalidReplicationFactor, "replication factor must be at most "
                                                                  + std::to_string(kMaxReplicationFactor) + ", got "
                                                                  + std::to_string(replicationFactor));
    return std::nullopt;
}

// One partition of a manual assignment: `replicationFactor` distinct registered brokers.
std::optional<Refusal> checkReplicaList(const MetadataImage &image, int32_t partition, const std::vector<int32_t> &brokers,
                                        size_t replicationFactor)
{
    const std::string which = "partition " + std::to_string(partition);
    if (brokers.empty())
        return refuse(TopicRefusal::InvalidReplicaAssignment, which + " is assigned no replicas");
    if (brokers.size() != replicationFactor)
        return refuse(TopicRefusal::InvalidReplicaAssignment,
                      which + " is assigned " + std::to_string(brokers.size()) + " replica(s), but every partition of a topic needs the same number ("
                          + std::to_string(replicationFactor) + ")");
    if (std::set<int32_t>(brokers.begin(), brokers.end()).size() != brokers.size())
        return refuse(TopicRefusal::InvalidReplicaAssignment, which + " lists a broker twice");
    for (int32_t b : brokers)
        if (b < 0 || !image.broker(uint64_t(b)))
            return refuse(TopicRefusal::InvalidReplicaAssignment,
                          which + " is assigned to broker " + std::to_string(b) + ", which is not registered");
    return std::nullopt;
}

void addPartition(google::protobuf::RepeatedPtrField<PartitionAssignment> &out, int32_t partition,
                  const std::vector<uint64_t> &replicas)
{
    PartitionAssignment *a = out.Add();
    a->set_partition(partition);
    for (uint64_t b : replicas)
        a->add_replicas(b);
}

// Replicas for partitions [first, first + count) placed over the unfenced brokers.
std::variant<std::vector<std::vector<uint64_t>>, Refusal> place(const MetadataImage &image, const std::string &topic,
                                                                int32_t first, int32_t count, int32_t replicationFactor)
{
    if (auto refusal = checkReplicationFactor(replicationFactor))
        return *refusal;
    auto layout = assignReplicas(assignableBrokers(image), first, count, int16_t(replicationFactor), rotationForTopic(topic));
    if (!layout.isOk())
        return refuse(TopicRefusal::InvalidReplicationFactor, layout.status().message());
    return std::move(layout).value();
}

std::optional<Refusal> checkConfigs(const TopicPolicy &policy, const std::map<std::string, std::string> &configs)
{
    if (configs.empty())
        return std::nullopt;
    if (!policy.validateConfigs)
        return refuse(TopicRefusal::InvalidConfig, "this node takes no topic configs here");
    if (Status s = policy.validateConfigs(configs); !s.isOk())
        return refuse(TopicRefusal::InvalidConfig, s.message());
    return std::nullopt;
}

// A list config's items as Kafka splits them (on ',', empty text: no items).
std::vector<std::string> listItems(const std::string &text)
{
    std::vector<std::string> items;
    if (text.empty())
        return items;
    size_t start = 0;
    for (size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
        items.push_back(text.substr(start, comma - start));
    items.push_back(text.substr(start));
    return items;
}

std::string joinItems(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : ",") + item;
    return out;
}

std::optional<Refusal> checkLimit(const MetadataImage &image, const TopicPolicy &policy, const std::string &topic,
                                  const google::protobuf::RepeatedPtrField<PartitionAssignment> &added)
{
    if (Status s = checkPartitionLimit(image, replicaLists(added), policy.maxPartitionsPerBroker); !s.isOk())
        return refuse(TopicRefusal::PartitionLimit, "topic '" + topic + "': " + s.message());
    return std::nullopt;
}

} // namespace

const char *topicRefusalName(TopicRefusal reason)
{
    switch (reason) {
    case TopicRefusal::InvalidName: return "invalid topic name";
    case TopicRefusal::AlreadyExists: return "topic already exists";
    case TopicRefusal::UnknownTopic: return "unknown topic";
    case TopicRefusal::InvalidPartitionCount: return "invalid partition count";
    case TopicRefusal::InvalidReplicationFactor: return "invalid replication factor";
    case TopicRefusal::InvalidReplicaAssignment: return "invalid replica assignment";
    case TopicRefusal::AssignmentWithCounts: return "replica assignment with counts";
    case TopicRefusal::InvalidConfig: return "invalid topic config";
    case TopicRefusal::PartitionLimit: return "max.partitions.per.broker exceeded";
    }
    return "unknown refusal";
}

TopicPlan planCreateTopic(const MetadataImage &image, const TopicPolicy &policy, const NewTopic &topic)
{
    const std::string &name = topic.name;
    if (Status s = validateTopicName(name); !s.isOk())
        return refuse(TopicRefusal::InvalidName, s.message());
    if (image.topic(name))
        return refuse(TopicRefusal::AlreadyExists, "topic '" + name + "' already exists");
    if (auto refusal = checkConfigs(policy, topic.configs))
        return *refusal;

    Command command;
    auto *create = command.mutable_create_topic();
    create->set_name(name);
    const QByteArray uuid = QUuid::createUuid().toRfc4122();
    create->set_topic_id(uuid.constData(), size_t(uuid.size()));
    create->mutable_configs()->insert(topic.configs.begin(), topic.configs.end());

    if (!topic.assignments.empty()) {
        // As Kafka: a manual assignment decides both counts, so asking for them too is ambiguous.
        if (topic.partitions || topic.replicationFactor)
            return refuse(TopicRefusal::AssignmentWithCounts,
                          "give either replica assignments or partition count and replication factor, not both");
        if (auto refusal = checkPartitionCount(int64_t(topic.assignments.size())))
            return *refusal;
        auto assignments = topic.assignments;
        std::stable_sort(assignments.begin(), assignments.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        const size_t replicationFactor = assignments.front().second.size();
        int32_t expected = 0;
        for (const auto &[partition, brokers] : assignments) {
            if (partition != expected++)
                return refuse(TopicRefusal::InvalidReplicaAssignment,
                              "replica assignments must cover partitions 0.." + std::to_string(assignments.size() - 1)
                                  + " once each");
            if (auto refusal = checkReplicaList(image, partition, brokers, replicationFactor))
                return *refusal;
            addPartition(*create->mutable_partitions(), partition, {brokers.begin(), brokers.end()});
        }
    } else {
        const int32_t partitions = topic.partitions.value_or(policy.defaultPartitions);
        if (auto refusal = checkPartitionCount(partitions))
            return *refusal;
        auto layout = place(image, name, 0, partitions, topic.replicationFactor.value_or(policy.defaultReplicationFactor));
        if (const auto *refusal = std::get_if<Refusal>(&layout))
            return *refusal;
        const auto &replicas = std::get<0>(layout);
        for (int32_t p = 0; p < partitions; ++p)
            addPartition(*create->mutable_partitions(), p, replicas[size_t(p)]);
    }
    if (auto refusal = checkLimit(image, policy, name, create->partitions()))
        return *refusal;
    create->set_max_partitions_per_broker(policy.maxPartitionsPerBroker);
    return command;
}

TopicPlan planCreatePartitions(const MetadataImage &image, const TopicPolicy &policy, const NewPartitions &request)
{
    const std::string &name = request.name;
    const TopicInfo *topic = image.topic(name);
    if (!topic)
        return refuse(TopicRefusal::UnknownTopic, "topic '" + name + "' does not exist");
    const int32_t current = int32_t(topic->partitions.size());
    if (request.totalCount <= current)
        return refuse(TopicRefusal::InvalidPartitionCount, "topic '" + name + "' has " + std::to_string(current)
                                                               + " partitions; the new count must be larger, got "
                                                               + std::to_string(request.totalCount));
    if (auto refusal = checkPartitionCount(request.totalCount))
        return *refusal;
    const int32_t added = request.totalCount - current;
    const size_t replicationFactor = topic->partitions.empty() ? 1 : topic->partitions[0].replicas.size();

    Command command;
    auto *grow = command.mutable_create_partitions();
    grow->set_name(name);
    grow->set_topic_id(uuidBytes(topic->id));
    if (!request.assignments.empty()) {
        if (int32_t(request.assignments.size()) != added)
            return refuse(TopicRefusal::InvalidReplicaAssignment,
                          "growing topic '" + name + "' from " + std::to_string(current) + " to " + std::to_string(request.totalCount)
                              + " partitions needs " + std::to_string(added) + " assignment(s), got "
                              + std::to_string(request.assignments.size()));
        for (int32_t i = 0; i < added; ++i) {
            const auto &brokers = request.assignments[size_t(i)];
            if (auto refusal = checkReplicaList(image, current + i, brokers, replicationFactor))
                return *refusal;
            addPartition(*grow->mutable_new_partitions(), current + i, {brokers.begin(), brokers.end()});
        }
    } else {
        auto layout = place(image, name, current, added, int32_t(replicationFactor));
        if (const auto *refusal = std::get_if<Refusal>(&layout))
            return *refusal;
        const auto &replicas = std::get<0>(layout);
        for (int32_t i = 0; i < added; ++i)
            addPartition(*grow->mutable_new_partitions(), current + i, replicas[size_t(i)]);
    }
    if (auto refusal = checkLimit(image, policy, name, grow->new_partitions()))
        return *refusal;
    grow->set_max_partitions_per_broker(policy.maxPartitionsPerBroker);
    return command;
}

TopicPlan planAlterTopicConfig(const MetadataImage &image, const TopicPolicy &policy, const TopicConfigChange &change)
{
    const TopicInfo *topic = image.topic(change.name);
    if (!topic)
        return refuse(TopicRefusal::UnknownTopic, "topic '" + change.name + "' does not exist");
    std::map<std::string, std::string> configs = change.replaceAll ? std::map<std::string, std::string>{} : topic->configs;
    for (const ConfigChange &c : change.changes) {
        switch (c.op) {
        case ConfigOp::Set: configs[c.name] = c.value; break;
        case ConfigOp::Delete: configs.erase(c.name); break;
        case ConfigOp::Append:
        case ConfigOp::Subtract: {
            // As Kafka: only list configs take items; the others are refused, known or not.
            const bool append = c.op == ConfigOp::Append;
            const auto listDefault = policy.listConfigDefault ? policy.listConfigDefault(c.name) : std::nullopt;
            if (!listDefault)
                return refuse(TopicRefusal::InvalidConfig, std::string("Can't ") + (append ? "APPEND" : "SUBTRACT") + " to key "
                                                               + c.name + " because its type is not LIST.");
            auto current = configs.find(c.name);
            std::vector<std::string> items = listItems(current != configs.end() ? current->second : *listDefault);
            for (const auto &item : listItems(c.value)) {
                auto at = std::find(items.begin(), items.end(), item);
                if (append && at == items.end())
                    items.push_back(item);
                else if (!append && at != items.end())
                    items.erase(at);
            }
            configs[c.name] = joinItems(items);
            break;
        }
        }
    }
    if (auto refusal = checkConfigs(policy, configs))
        return *refusal;

    Command command;
    auto *alter = command.mutable_alter_topic_config();
    alter->set_name(change.name);
    for (const auto &[name, value] : configs) {
        auto before = topic->configs.find(name);
        if (before == topic->configs.end() || before->second != value)
            (*alter->mutable_set())[name] = value;
    }
    for (const auto &[name, value] : topic->configs)
        if (!configs.count(name))
            alter->add_remove(name);
    return command;
}

} // namespace skiff::metadata
