#pragma once
// The rules for creating topics, adding partitions and changing topic configs, in one place. Every
// path that does any of these (Kafka CreateTopics with or without validate_only, CreatePartitions,
// AlterConfigs and IncrementalAlterConfigs, auto-creation on Metadata, __consumer_offsets, the
// admin socket's CreateTopic that skiffctl and the dashboard use) asks the planner for the
// metadata command to propose. A refusal comes back as a typed reason with a
// message an operator can act on; each edge maps the reason to its own wire code and passes the
// message on unchanged, so one bad request is refused with the same words on every edge.
//
// The planner judges the request against one image. What can change between planning and
// applying (the topic's existence, max.partitions.per.broker) the state machine checks again.

#include "common/Status.h"
#include "common/TopicRules.h"
#include "metadata.pb.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace skiff::metadata {

struct MetadataImage;

enum class TopicRefusal {
    InvalidName,                 // not 1-249 characters of [a-zA-Z0-9._-], or "." or ".."
    AlreadyExists,
    UnknownTopic,                // CreatePartitions or a config change of a topic that does not exist
    InvalidPartitionCount,       // below 1, above kMaxPartitionsPerTopic (common/TopicRules.h), or not an increase
    InvalidReplicationFactor,    // below 1, above kMaxReplicationFactor, or more than the unfenced brokers
    InvalidReplicaAssignment,    // a manual assignment that is incomplete, repeats a broker or names an unknown one
    AssignmentWithCounts,        // a manual assignment together with a partition count or replication factor
    InvalidConfig,               // a topic config the node does not know, a malformed value, or
                                 // APPEND/SUBTRACT on a config that is not a list
    PartitionLimit,              // some broker would host more than max.partitions.per.broker
};

// "invalid replication factor", for logs and tests.
const char *topicRefusalName(TopicRefusal reason);

struct Refusal {
    TopicRefusal reason;
    std::string message;
};

// A command to propose, or why not.
class TopicPlan {
public:
    TopicPlan(Command command) : m_value(std::move(command)) {}
    TopicPlan(Refusal refusal) : m_value(std::move(refusal)) {}

    bool isOk() const { return std::holds_alternative<Command>(m_value); }
    const Command &command() const { return std::get<Command>(m_value); }
    const Refusal &refusal() const { return std::get<Refusal>(m_value); }

private:
    std::variant<Command, Refusal> m_value;
};

// The node's side of the rules: its defaults, its limit and its topic config rules.
struct TopicPolicy {
    int32_t defaultPartitions = 1;            // num.partitions
    int32_t defaultReplicationFactor = 1;     // default.replication.factor
    int64_t maxPartitionsPerBroker = 0;       // max.partitions.per.broker; 0: no limit
    // Topic configs of a new topic, or a topic's configs after a change; unset: any config is refused.
    std::function<Status(const std::map<std::string, std::string> &)> validateConfigs;
    // The default of a list-type config (Kafka's ConfigDef.Type.LIST, e.g. cleanup.policy), which
    // APPEND and SUBTRACT start from; nullopt (or unset) for a config that is not a list.
    std::function<std::optional<std::string>(const std::string &)> listConfigDefault;
};

// A topic as some client asked for it. Counts are as wide as the widest wire field (the admin
// socket's int32), so that every value a client can send is judged here, not cut down by an edge.
struct NewTopic {
    std::string name;
    std::optional<int32_t> partitions;           // unset: num.partitions
    std::optional<int32_t> replicationFactor;    // unset: default.replication.factor
    // Manual placement: (partition, broker ids) for every partition, first broker the preferred
    // leader. Empty: the planner places the replicas (assignReplicas).
    std::vector<std::pair<int32_t, std::vector<int32_t>>> assignments;
    std::map<std::string, std::string> configs;
};

// More partitions for an existing topic, as Kafka's CreatePartitions asks for them.
struct NewPartitions {
    std::string name;
    int32_t totalCount = 0;    // the topic's partition count afterwards
    // Manual placement: broker ids for each new partition in order; empty: placed by the planner.
    std::vector<std::vector<int32_t>> assignments;
};

// Kafka's config operations (IncrementalAlterConfigs' AlterConfigOp.OpType). DELETE resets a
// config to its default; APPEND/SUBTRACT add or remove comma-separated items of a list config.
enum class ConfigOp { Set, Delete, Append, Subtract };

struct ConfigChange {
    std::string name;
    ConfigOp op = ConfigOp::Set;
    std::string value;   // unused by Delete
};

// A change of one topic's configs. Names are distinct (the edge refuses repeats).
struct TopicConfigChange {
    std::string name;
    // AlterConfigs: the changes (all Set) are the topic's whole set of configs; any other config
    // goes back to its default.
    bool replaceAll = false;
    std::vector<ConfigChange> changes;
};

TopicPlan planCreateTopic(const MetadataImage &image, const TopicPolicy &policy, const NewTopic &topic);
TopicPlan planCreatePartitions(const MetadataImage &image, const TopicPolicy &policy, const NewPartitions &request);
// An AlterTopicConfig command that takes the topic's configs, as the image has them, to the result
// of `change`, judged as a whole by the same rules as a new topic's configs.
TopicPlan planAlterTopicConfig(const MetadataImage &image, const TopicPolicy &policy, const TopicConfigChange &change);

} // namespace skiff::metadata
