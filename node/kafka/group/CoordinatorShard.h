#pragma once
// The groups and committed offsets of one __consumer_offsets partition: what its leader
// coordinates. Rebuilt by replaying the partition's records in order (the last record of a key
// wins, a tombstone deletes); changed by the coordinator once its writes are durable. Pure.

#include "common/Status.h"
#include "kafka/group/CommittedOffset.h"
#include "kafka/group/Group.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::kafka::group {

class CoordinatorShard {
public:
    using Offsets = std::map<PartitionKey, CommittedOffset>;

    CoordinatorShard(GroupConfig config, Clock clock) : m_config(config), m_clock(std::move(clock)) {}

    // One record of the partition, in log order. Unknown or damaged records are refused with
    // the reason; the caller logs and skips them.
    Status replay(std::string_view key, const std::optional<std::string> &value);

    Group *group(const std::string &groupId);
    Group &getOrCreateGroup(const std::string &groupId);
    void removeGroup(const std::string &groupId);
    const std::map<std::string, std::unique_ptr<Group>> &groups() const { return m_groups; }

    const Offsets *offsets(const std::string &groupId) const;
    const CommittedOffset *offset(const std::string &groupId, const PartitionKey &tp) const;
    void putOffset(const std::string &groupId, const PartitionKey &tp, CommittedOffset offset);
    void removeOffset(const std::string &groupId, const PartitionKey &tp);
    void removeOffsets(const std::string &groupId);
    // Every group id that has a group or offsets here.
    std::vector<std::string> groupIds() const;

    // Offsets older than `retentionMs` (by commit time) of groups without members.
    struct Expired {
        std::string groupId;
        PartitionKey partition;
    };
    std::vector<Expired> expiredOffsets(int64_t wallNowMs, int64_t retentionMs) const;

    // Ends every group (their waiting requests get `error`) when the partition moves away.
    void unload(ErrorCode error);

private:
    GroupConfig m_config;
    Clock m_clock;
    std::map<std::string, std::unique_ptr<Group>> m_groups;
    std::map<std::string, Offsets> m_offsets;
};

} // namespace skiff::kafka::group
