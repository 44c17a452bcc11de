#pragma once
// One member of a classic group as the coordinator tracks it.

#include "kafka/group/JoinTypes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skiff::kafka::group {

struct GroupMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId; // static membership (JoinGroup v5+)
    std::string clientId;
    std::string clientHost;
    int32_t sessionTimeoutMs = 0;
    int32_t rebalanceTimeoutMs = 0;
    std::string protocolType;
    std::vector<Protocol> protocols;             // in the member's order of preference
    std::string assignment;                      // opaque bytes from the leader's SyncGroup
    int64_t sessionDeadlineMs = 0;
    JoinCallback awaitingJoin;                   // set while a JoinGroup waits for the rebalance
    SyncCallback awaitingSync;                   // set while a SyncGroup waits for the leader

    bool supports(const std::string &protocol) const
    {
        for (const auto &p : protocols)
            if (p.name == protocol)
                return true;
        return false;
    }
    const std::string *metadataFor(const std::string &protocol) const
    {
        for (const auto &p : protocols)
            if (p.name == protocol)
                return &p.metadata;
        return nullptr;
    }
};

} // namespace skiff::kafka::group
