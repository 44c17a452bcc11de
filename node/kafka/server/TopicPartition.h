#pragma once

#include <cstdint>
#include <string>
#include <tuple>

namespace skiff::kafka {

struct TopicPartition {
    std::string topic;
    int32_t partition = 0;
    // Spelled out rather than <=>: moc (Qt 6.4) cannot parse <compare>.
    bool operator<(const TopicPartition &o) const { return std::tie(topic, partition) < std::tie(o.topic, o.partition); }
    bool operator==(const TopicPartition &o) const { return topic == o.topic && partition == o.partition; }
    std::string toString() const { return topic + "-" + std::to_string(partition); }
};

} // namespace skiff::kafka
