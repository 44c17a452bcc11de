#pragma once
// The topic-level configs Skiff understands: how each is validated, which broker key supplies
// its default, and the effective value with its source (as DescribeConfigs reports it).

#include "common/Status.h"
#include "core/NodeConfig.h"
#include "metadata/TopicPlanner.h"

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

// Kafka's DescribeConfigs source codes.
enum class ConfigSource : int8_t { TopicConfig = 1, StaticBrokerConfig = 4, DefaultConfig = 5 };

struct EffectiveConfig {
    std::string name;
    std::string value;
    ConfigSource source = ConfigSource::DefaultConfig;
    bool readOnly = false;
};

class TopicConfigs {
public:
    explicit TopicConfigs(const core::NodeConfig &node);

    // Every key known and every value well-formed; one precise message for the first problem
    // ("retention.ms: '1h' is not an integer"). Used by CreateTopics and config changes.
    Status validate(const std::map<std::string, std::string> &overrides) const;
    // All supported configs of a topic, its overrides applied over the broker defaults.
    std::vector<EffectiveConfig> effective(const std::map<std::string, std::string> &overrides) const;
    std::string value(const std::map<std::string, std::string> &overrides, const std::string &name) const;
    int64_t intValue(const std::map<std::string, std::string> &overrides, const std::string &name) const;
    // The broker default of a config that Kafka types as a list (IncrementalAlterConfigs' APPEND
    // and SUBTRACT work on its items); nullopt for any other config, known or not.
    std::optional<std::string> listDefault(const std::string &name) const;

private:
    struct Definition {
        std::string name;
        std::string brokerDefault;   // effective broker-level default, as text
        bool brokerSetExplicitly = false;
        enum class Kind { Int, Enum, Bool } kind = Kind::Int;
        int64_t min = 0;
        int64_t max = std::numeric_limits<int64_t>::max();
        std::vector<std::string> allowed;   // Enum
        bool list = false;                  // a list in Kafka (comma-separated items)
    };
    const Definition *find(const std::string &name) const;

    std::vector<Definition> m_definitions;
};

// The node's topic creation policy for the planner (metadata/TopicPlanner.h): num.partitions,
// default.replication.factor, max.partitions.per.broker and TopicConfigs' rules. The Kafka side
// and the admin socket both plan with it.
metadata::TopicPolicy topicPolicy(const core::NodeConfig &node);

} // namespace skiff::kafka
