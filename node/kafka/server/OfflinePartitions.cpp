#include "kafka/server/OfflinePartitions.h"

#include "metadata.pb.h"

#include <algorithm>

namespace skiff::kafka {

bool OfflinePartitions::failed(const TopicPartition &tp, const metadata::Uuid &topicId, const Status &error, int64_t nowMs)
{
    auto [it, first] = m_entries.try_emplace(tp);
    Entry &e = it->second;
    if (first) {
        e.error = error;
        e.sinceMs = nowMs;
        e.retryInMs = kFirstRetryMs;
    } else {
        e.retryInMs = std::min(e.retryInMs * 2, kMaxRetryMs);
    }
    e.topicId = topicId;
    ++e.attempts;
    e.nextAttemptMs = nowMs + e.retryInMs;
    return first;
}

bool OfflinePartitions::writeFailed(const TopicPartition &tp, const metadata::Uuid &topicId, const Status &error,
                                    int64_t nowMs)
{
    auto [it, first] = m_entries.try_emplace(tp);
    Entry &e = it->second;
    if (first) {
        e.error = error;
        e.sinceMs = nowMs;
        e.logOpen = true;
        e.topicId = topicId;
    }
    e.retryInMs = kFirstRetryMs;
    ++e.attempts;
    e.nextAttemptMs = nowMs + e.retryInMs;
    return first;
}

std::optional<OfflinePartitions::Entry> OfflinePartitions::remove(const TopicPartition &tp)
{
    auto it = m_entries.find(tp);
    if (it == m_entries.end())
        return std::nullopt;
    Entry e = std::move(it->second);
    m_entries.erase(it);
    return e;
}

std::vector<TopicPartition> OfflinePartitions::due(int64_t nowMs) const
{
    std::vector<TopicPartition> out;
    for (const auto &[tp, e] : m_entries)
        if (e.nextAttemptMs <= nowMs)
            out.push_back(tp);
    return out;
}

std::optional<int64_t> OfflinePartitions::nextAttemptMs() const
{
    std::optional<int64_t> next;
    for (const auto &[tp, e] : m_entries)
        if (!next || e.nextAttemptMs < *next)
            next = e.nextAttemptMs;
    return next;
}

const OfflinePartitions::Entry *OfflinePartitions::find(const TopicPartition &tp) const
{
    auto it = m_entries.find(tp);
    return it == m_entries.end() ? nullptr : &it->second;
}

std::optional<metadata::Command> OfflinePartitions::report(const metadata::MetadataImage &image, uint64_t broker,
                                                           const std::string &incarnation) const
{
    metadata::Command command;
    auto *set = command.mutable_set_offline_replicas();
    set->set_broker_id(broker);
    set->set_incarnation_id(incarnation);
    auto add = [](google::protobuf::RepeatedPtrField<metadata::ReplicaRef> *to, const std::string &topic,
                  const metadata::Uuid &id, int32_t partition) {
        auto *ref = to->Add();
        ref->set_topic(topic);
        ref->set_topic_id(metadata::uuidBytes(id));
        ref->set_partition(partition);
    };
    for (const auto &[tp, e] : m_entries) {
        const metadata::PartitionInfo *p = image.replicaOn(tp.topic, e.topicId, tp.partition, broker);
        if (p && std::find(p->offlineReplicas.begin(), p->offlineReplicas.end(), broker) == p->offlineReplicas.end())
            add(set->mutable_offline(), tp.topic, e.topicId, tp.partition);
    }
    for (const auto &[name, topic] : image.topics) {
        for (const auto &p : topic->partitions) {
            const bool marked = std::find(p.offlineReplicas.begin(), p.offlineReplicas.end(), broker) != p.offlineReplicas.end();
            if (!marked)
                continue;
            const Entry *e = find({name, p.partition});
            // Marked there but not offline here (opened again, or offline under a topic id that
            // is gone): clear it. replicaOn holds, or the state machine would not have marked it.
            if (!e || e->topicId != topic->id)
                add(set->mutable_online(), name, topic->id, p.partition);
        }
    }
    if (set->offline().empty() && set->online().empty())
        return std::nullopt;
    return command;
}

} // namespace skiff::kafka
