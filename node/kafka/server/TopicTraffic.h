#pragma once
// Records and bytes through each topic on this broker since it started: produced to it (as the
// partition's leader), sent to consumers' and to followers' fetches, and appended as a follower.
// Counted on the kafka thread at each append and each fetch answer, read from any thread (the
// admin socket's status, /metrics). A topic's counters appear with its first traffic and go when
// it is deleted (dropTopic), so a topic created again under its name starts from zero.
//
// Cost on the produce path: one hash lookup in an index only the kafka thread touches, then
// relaxed atomic adds. The tracked lock "TopicTraffic::mutex" is taken only when a topic appears
// or goes, and by readers to copy the list of topics.

#include "sync/ThreadAnnotations.h"
#include "sync/TrackedMutex.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace skiff::kafka {

// One topic's counters as read at one moment (admin.proto TopicTraffic).
struct TopicTrafficCount {
    std::string topic;
    uint64_t messagesIn = 0;
    uint64_t bytesIn = 0;
    uint64_t consumerMessagesOut = 0;
    uint64_t consumerBytesOut = 0;
    uint64_t replicaMessagesOut = 0;
    uint64_t replicaBytesOut = 0;
    uint64_t replicaMessagesIn = 0;
    uint64_t replicaBytesIn = 0;
};

class TopicTraffic {
public:
    // Kafka thread only.
    void produced(const std::string &topic, uint64_t records, uint64_t bytes);
    void sentToConsumer(const std::string &topic, uint64_t records, uint64_t bytes);
    void sentToReplica(const std::string &topic, uint64_t records, uint64_t bytes);
    void replicated(const std::string &topic, uint64_t records, uint64_t bytes);
    // The topic was deleted: its counters go (a fetch answered later for it counts anew).
    void dropTopic(const std::string &topic);

    // Any thread: every topic with traffic, by name.
    std::vector<TopicTrafficCount> snapshot() const;

private:
    struct Counters {
        std::atomic<uint64_t> messagesIn{0}, bytesIn{0};
        std::atomic<uint64_t> consumerMessagesOut{0}, consumerBytesOut{0};
        std::atomic<uint64_t> replicaMessagesOut{0}, replicaBytesOut{0};
        std::atomic<uint64_t> replicaMessagesIn{0}, replicaBytesIn{0};
    };
    Counters &countersOf(const std::string &topic);

    // The kafka thread's own index (it alone adds and removes topics, so it reads it unlocked).
    std::unordered_map<std::string, std::shared_ptr<Counters>> m_writerIndex;
    // Lock "TopicTraffic::mutex": the readers' copy of the index.
    mutable sync::TrackedMutex m_mutex{"TopicTraffic::mutex"};
    std::map<std::string, std::shared_ptr<const Counters>> m_topics GUARDED_BY(m_mutex);
};

} // namespace skiff::kafka
