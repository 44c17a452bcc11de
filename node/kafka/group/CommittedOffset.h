#pragma once
// One committed offset of a group for one partition.

#include <cstdint>
#include <string>
#include <utility>

namespace skiff::kafka::group {

struct CommittedOffset {
    int64_t offset = -1;
    int32_t leaderEpoch = -1;
    std::string metadata;
    int64_t commitTimestampMs = 0; // wall clock; offsets.retention.minutes counts from here
    bool operator==(const CommittedOffset &) const = default;
};

// Topic name and partition; ordered so that OffsetFetch answers come sorted.
using PartitionKey = std::pair<std::string, int32_t>;

} // namespace skiff::kafka::group
