#pragma once
// What goes into and comes out of the group state machine's JoinGroup and SyncGroup. The
// responses may be delayed (a JoinGroup waits for the whole group), so they are delivered
// through callbacks that the coordinator turns into Kafka responses.

#include "kafka/protocol/ErrorCode.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skiff::kafka::group {

struct Protocol {
    std::string name;
    std::string metadata; // opaque to the broker (the client assignor's subscription)
};

struct JoinParams {
    std::string memberId;                       // empty: a new member
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string clientHost;
    int32_t sessionTimeoutMs = 0;
    int32_t rebalanceTimeoutMs = 0;
    std::string protocolType;
    std::vector<Protocol> protocols;
    bool requireKnownMemberId = false;          // JoinGroup v4+: answer MEMBER_ID_REQUIRED first
};

struct JoinResult {
    ErrorCode error = ErrorCode::None;
    int32_t generationId = -1;
    std::string protocolType;
    std::optional<std::string> protocolName;
    std::string leaderId;
    std::string memberId;
    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        std::string metadata;
    };
    std::vector<Member> members; // only for the leader
};
using JoinCallback = std::function<void(JoinResult)>;

struct SyncParams {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    int32_t generationId = -1;
    std::optional<std::string> protocolType; // v5+: checked when given
    std::optional<std::string> protocolName;
    std::vector<std::pair<std::string, std::string>> assignments; // leader only: member id, bytes
};

struct SyncResult {
    ErrorCode error = ErrorCode::None;
    std::optional<std::string> protocolType;
    std::optional<std::string> protocolName;
    std::string assignment;
};
using SyncCallback = std::function<void(SyncResult)>;

} // namespace skiff::kafka::group
