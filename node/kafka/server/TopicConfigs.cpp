#include "kafka/server/TopicConfigs.h"

#include "metadata/PartitionChanges.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <memory>

namespace skiff::kafka {
namespace {

bool parseInt(const std::string &text, int64_t &out)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// Kafka parses booleans ignoring case ("TRUE" is true).
bool isBoolean(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text == "true" || text == "false";
}

} // namespace

TopicConfigs::TopicConfigs(const core::NodeConfig &node)
{
    using Kind = Definition::Kind;
    auto integer = [&](const char *name, int64_t value, int64_t builtIn, int64_t min,
                       int64_t max = std::numeric_limits<int64_t>::max()) {
        m_definitions.push_back({name, std::to_string(value), value != builtIn, Kind::Int, min, max, {}, false});
    };
    integer("retention.ms", node.logRetentionMs, 604800000, -1);
    integer("retention.bytes", node.logRetentionBytes, -1, -1);
    integer("segment.bytes", node.logSegmentBytes, 1073741824, 14);
    integer("segment.ms", node.logSegmentMs, 604800000, 1);
    integer("max.message.bytes", node.messageMaxBytes, 1048588, 0);
    // An INT at least 1 in Kafka; the broker default stays 1.
    integer("min.insync.replicas", node.minInsyncReplicas, 1, 1, std::numeric_limits<int32_t>::max());
    m_definitions.push_back({"message.timestamp.type", node.logMessageTimestampType,
                             node.logMessageTimestampType != "CreateTime", Kind::Enum, 0, 0, {"CreateTime", "LogAppendTime"}, false});
    // Batches are stored exactly as the producer compressed them.
    m_definitions.push_back({"compression.type", "producer", false, Kind::Enum, 0, 0, {"producer"}, false});
    // Compaction is not implemented: refusing it beats silently keeping everything.
    // A list in Kafka ("delete,compact"), so IncrementalAlterConfigs may APPEND/SUBTRACT items.
    m_definitions.push_back({"cleanup.policy", "delete", false, Kind::Enum, 0, 0, {"delete"}, true});
    // Read by the metadata state machine from the topic's overrides alone (every node must elect
    // alike), so its default is fixed: false, Kafka's.
    m_definitions.push_back({metadata::kUncleanLeaderElectionConfig, "false", false, Kind::Bool, 0, 0, {}, false});
}

const TopicConfigs::Definition *TopicConfigs::find(const std::string &name) const
{
    auto it = std::find_if(m_definitions.begin(), m_definitions.end(), [&](const Definition &d) { return d.name == name; });
    return it == m_definitions.end() ? nullptr : &*it;
}

Status TopicConfigs::validate(const std::map<std::string, std::string> &overrides) const
{
    for (const auto &[name, value] : overrides) {
        const Definition *d = find(name);
        if (!d)
            return invalidArgument("unknown topic config '" + name + "'");
        if (d->kind == Definition::Kind::Int) {
            int64_t v = 0;
            if (!parseInt(value, v))
                return invalidArgument(name + ": '" + value + "' is not an integer");
            if (v < d->min)
                return invalidArgument(name + ": " + value + " is below the minimum " + std::to_string(d->min));
            if (v > d->max)
                return invalidArgument(name + ": " + value + " is above the maximum " + std::to_string(d->max));
        } else if (d->kind == Definition::Kind::Bool) {
            if (!isBoolean(value))
                return invalidArgument(name + ": '" + value + "' is not a boolean (true or false)");
        } else if (std::find(d->allowed.begin(), d->allowed.end(), value) == d->allowed.end()) {
            if (name == "cleanup.policy")
                return invalidArgument("cleanup.policy=" + value + " is not supported yet; only delete is");
            if (name == "compression.type")
                return invalidArgument("compression.type=" + value
                                       + " is not supported: Skiff stores batches as producers compressed them (producer)");
            std::string list;
            for (const auto &a : d->allowed)
                list += (list.empty() ? "" : ", ") + a;
            return invalidArgument(name + ": '" + value + "' is not one of " + list);
        }
    }
    return Status::ok();
}

std::vector<EffectiveConfig> TopicConfigs::effective(const std::map<std::string, std::string> &overrides) const
{
    std::vector<EffectiveConfig> out;
    for (const Definition &d : m_definitions) {
        auto it = overrides.find(d.name);
        if (it != overrides.end())
            out.push_back({d.name, it->second, ConfigSource::TopicConfig, false});
        else
            out.push_back({d.name, d.brokerDefault,
                           d.brokerSetExplicitly ? ConfigSource::StaticBrokerConfig : ConfigSource::DefaultConfig, false});
    }
    return out;
}

std::string TopicConfigs::value(const std::map<std::string, std::string> &overrides, const std::string &name) const
{
    auto it = overrides.find(name);
    if (it != overrides.end())
        return it->second;
    const Definition *d = find(name);
    return d ? d->brokerDefault : std::string();
}

int64_t TopicConfigs::intValue(const std::map<std::string, std::string> &overrides, const std::string &name) const
{
    int64_t v = 0;
    parseInt(value(overrides, name), v);
    return v;
}

std::optional<std::string> TopicConfigs::listDefault(const std::string &name) const
{
    const Definition *d = find(name);
    if (!d || !d->list)
        return std::nullopt;
    return d->brokerDefault;
}

metadata::TopicPolicy topicPolicy(const core::NodeConfig &node)
{
    metadata::TopicPolicy policy;
    policy.defaultPartitions = node.numPartitions;
    policy.defaultReplicationFactor = node.defaultReplicationFactor;
    policy.maxPartitionsPerBroker = node.maxPartitionsPerBroker;
    const auto configs = std::make_shared<const TopicConfigs>(node);
    policy.validateConfigs = [configs](const std::map<std::string, std::string> &c) { return configs->validate(c); };
    policy.listConfigDefault = [configs](const std::string &name) { return configs->listDefault(name); };
    return policy;
}

} // namespace skiff::kafka
