#pragma once
// The states of a classic consumer group, as Kafka names them (DescribeGroups and ListGroups
// send these names to clients).

#include <optional>
#include <string_view>

namespace skiff::kafka::group {

enum class GroupState { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead };

const char *groupStateName(GroupState state);
// Case-insensitive, as Kafka's ListGroups states filter is.
std::optional<GroupState> parseGroupState(std::string_view name);

} // namespace skiff::kafka::group
