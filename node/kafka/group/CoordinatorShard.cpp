#include "kafka/group/CoordinatorShard.h"

#include "kafka/group/GroupRecords.h"

#include <set>

namespace skiff::kafka::group {

Status CoordinatorShard::replay(std::string_view key, const std::optional<std::string> &value)
{
    auto k = decodeRecordKey(key);
    if (!k.isOk())
        return k.status();
    if (k->kind == RecordKey::Kind::Offset) {
        const PartitionKey tp{k->topic, k->partition};
        if (!value) {
            removeOffset(k->groupId, tp);
            return Status::ok();
        }
        auto o = decodeOffsetValue(*value);
        if (!o.isOk())
            return o.status();
        putOffset(k->groupId, tp, std::move(o.value()));
        return Status::ok();
    }
    if (!value) {
        removeGroup(k->groupId);
        return Status::ok();
    }
    auto g = decodeGroupValue(*value, k->groupId);
    if (!g.isOk())
        return g.status();
    m_groups[k->groupId] = Group::restore(g.value(), m_config, m_clock);
    return Status::ok();
}

Group *CoordinatorShard::group(const std::string &groupId)
{
    auto it = m_groups.find(groupId);
    return it == m_groups.end() ? nullptr : it->second.get();
}

Group &CoordinatorShard::getOrCreateGroup(const std::string &groupId)
{
    auto &g = m_groups[groupId];
    if (!g)
        g = std::make_unique<Group>(groupId, m_config, m_clock);
    return *g;
}

void CoordinatorShard::removeGroup(const std::string &groupId)
{
    m_groups.erase(groupId);
}

const CoordinatorShard::Offsets *CoordinatorShard::offsets(const std::string &groupId) const
{
    auto it = m_offsets.find(groupId);
    return it == m_offsets.end() ? nullptr : &it->second;
}

const CommittedOffset *CoordinatorShard::offset(const std::string &groupId, const PartitionKey &tp) const
{
    const Offsets *all = offsets(groupId);
    if (!all)
        return nullptr;
    auto it = all->find(tp);
    return it == all->end() ? nullptr : &it->second;
}

void CoordinatorShard::putOffset(const std::string &groupId, const PartitionKey &tp, CommittedOffset offset)
{
    m_offsets[groupId][tp] = std::move(offset);
}

void CoordinatorShard::removeOffset(const std::string &groupId, const PartitionKey &tp)
{
    auto it = m_offsets.find(groupId);
    if (it == m_offsets.end())
        return;
    it->second.erase(tp);
    if (it->second.empty())
        m_offsets.erase(it);
}

void CoordinatorShard::removeOffsets(const std::string &groupId)
{
    m_offsets.erase(groupId);
}

std::vector<std::string> CoordinatorShard::groupIds() const
{
    std::set<std::string> ids;
    for (const auto &[id, g] : m_groups)
        ids.insert(id);
    for (const auto &[id, o] : m_offsets)
        ids.insert(id);
    return {ids.begin(), ids.end()};
}

std::vector<CoordinatorShard::Expired> CoordinatorShard::expiredOffsets(int64_t wallNowMs, int64_t retentionMs) const
{
    std::vector<Expired> out;
    for (const auto &[groupId, offsets] : m_offsets) {
        auto g = m_groups.find(groupId);
        // A group with members still uses its offsets, however old they are.
        if (g != m_groups.end() && !g->second->members().empty())
            continue;
        for (const auto &[tp, o] : offsets)
            if (wallNowMs - o.commitTimestampMs >= retentionMs)
                out.push_back({groupId, tp});
    }
    return out;
}

void CoordinatorShard::unload(ErrorCode error)
{
    for (auto &[id, g] : m_groups)
        g->markDead(error);
    m_groups.clear();
    m_offsets.clear();
}

} // namespace skiff::kafka::group
