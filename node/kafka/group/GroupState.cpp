#include "kafka/group/GroupState.h"

#include <array>
#include <cctype>

namespace skiff::kafka::group {

namespace {
constexpr std::array kNames = {"Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead"};

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}
} // namespace

const char *groupStateName(GroupState state)
{
    return kNames[static_cast<size_t>(state)];
}

std::optional<GroupState> parseGroupState(std::string_view name)
{
    for (size_t i = 0; i < kNames.size(); ++i)
        if (equalsIgnoreCase(name, kNames[i]))
            return static_cast<GroupState>(i);
    return std::nullopt;
}

} // namespace skiff::kafka::group
