#include "kafka/server/TopicTraffic.h"

#include "sync/TrackedLock.h"

namespace skiff::kafka {
namespace {

void add(std::atomic<uint64_t> &counter, uint64_t n) { counter.fetch_add(n, std::memory_order_relaxed); }
uint64_t read(const std::atomic<uint64_t> &counter) { return counter.load(std::memory_order_relaxed); }

} // namespace

TopicTraffic::Counters &TopicTraffic::countersOf(const std::string &topic)
{
    if (auto it = m_writerIndex.find(topic); it != m_writerIndex.end())
        return *it->second;
    auto counters = std::make_shared<Counters>();
    m_writerIndex.emplace(topic, counters);
    sync::TrackedLock lock(m_mutex);
    m_topics[topic] = counters;
    return *counters;
}

void TopicTraffic::produced(const std::string &topic, uint64_t records, uint64_t bytes)
{
    Counters &c = countersOf(topic);
    add(c.messagesIn, records);
    add(c.bytesIn, bytes);
}

void TopicTraffic::sentToConsumer(const std::string &topic, uint64_t records, uint64_t bytes)
{
    Counters &c = countersOf(topic);
    add(c.consumerMessagesOut, records);
    add(c.consumerBytesOut, bytes);
}

void TopicTraffic::sentToReplica(const std::string &topic, uint64_t records, uint64_t bytes)
{
    Counters &c = countersOf(topic);
    add(c.replicaMessagesOut, records);
    add(c.replicaBytesOut, bytes);
}

void TopicTraffic::replicated(const std::string &topic, uint64_t records, uint64_t bytes)
{
    Counters &c = countersOf(topic);
    add(c.replicaMessagesIn, records);
    add(c.replicaBytesIn, bytes);
}

void TopicTraffic::dropTopic(const std::string &topic)
{
    if (m_writerIndex.erase(topic) == 0)
        return;
    sync::TrackedLock lock(m_mutex);
    m_topics.erase(topic);
}

std::vector<TopicTrafficCount> TopicTraffic::snapshot() const
{
    std::vector<std::pair<std::string, std::shared_ptr<const Counters>>> topics;
    {
        sync::TrackedLock lock(m_mutex);
        topics.assign(m_topics.begin(), m_topics.end());
    }
    std::vector<TopicTrafficCount> out;
    out.reserve(topics.size());
    for (const auto &[name, c] : topics)
        out.push_back({name, read(c->messagesIn), read(c->bytesIn), read(c->consumerMessagesOut),
                       read(c->consumerBytesOut), read(c->replicaMessagesOut), read(c->replicaBytesOut),
                       read(c->replicaMessagesIn), read(c->replicaBytesIn)});
    return out;
}

} // namespace skiff::kafka
