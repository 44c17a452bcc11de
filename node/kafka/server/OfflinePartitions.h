#pragma once
// Partitions assigned to this broker whose log it could not open or create (no descriptors or
// space left, a permission, a file where the directory should be), or whose open log failed a
// write (a full disk, an I/O error). They are not silently dropped: clients get
// KAFKA_STORAGE_ERROR, Metadata lists this broker as an offline replica (and the controller moves
// the leadership away where another ISR member can take it), and opening is retried 1 s after the
// failure, then after 2, 4, ... up to every 60 s, so the partition comes back by itself once the
// cause is gone; a failed write is retried every second (a probe write). Pure bookkeeping with
// the clock passed in (PartitionManager does the I/O, the logging and the timer). Kafka thread only.

#include "common/Status.h"
#include "kafka/server/TopicPartition.h"
#include "metadata/MetadataImage.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::metadata {
class Command;
}

namespace skiff::kafka {

class OfflinePartitions {
public:
    static constexpr int64_t kFirstRetryMs = 1000;
    static constexpr int64_t kMaxRetryMs = 60000;

    struct Entry {
        metadata::Uuid topicId{};
        Status error;            // the failure that took it offline (the one logged)
        int attempts = 0;        // failed opens so far
        int64_t sinceMs = 0;
        int64_t retryInMs = 0;   // the current backoff
        int64_t nextAttemptMs = 0;
        bool logOpen = false;    // a write failed (writeFailed); the log stays open for reads
    };

    // A failed open at `nowMs`. True the first time for this partition: the caller reports it
    // (one log line, one event), later failures only push the next attempt further out.
    bool failed(const TopicPartition &tp, const metadata::Uuid &topicId, const Status &error, int64_t nowMs);
    // A write to the open log of `tp` failed at `nowMs`. True the first time (the caller reports
    // it); again, it only sets the next attempt, always kFirstRetryMs out: a freed disk should
    // bring the partition back within a second, not after a backoff grown while it was full.
    bool writeFailed(const TopicPartition &tp, const metadata::Uuid &topicId, const Status &error, int64_t nowMs);
    // Opened after all (or no longer assigned here): the entry it had, if it was offline.
    std::optional<Entry> remove(const TopicPartition &tp);

    // Partitions whose next attempt is due at `nowMs`.
    std::vector<TopicPartition> due(int64_t nowMs) const;
    // When the earliest next attempt is due; nullopt when nothing is offline.
    std::optional<int64_t> nextAttemptMs() const;

    const Entry *find(const TopicPartition &tp) const;
    size_t size() const { return m_entries.size(); }
    const std::map<TopicPartition, Entry> &entries() const { return m_entries; }

    // The SetOfflineReplicas command that brings `image` in line with what is offline here:
    // partitions offline here and not marked there, and partitions marked there that are not
    // offline here any more. nullopt when both agree. Uses the same rule as the state machine
    // (topic of that id, partition in range, `broker` among its replicas), so an applied report
    // always leaves nothing to report.
    std::optional<metadata::Command> report(const metadata::MetadataImage &image, uint64_t broker,
                                            const std::string &incarnation) const;

private:
    std::map<TopicPartition, Entry> m_entries;
};

} // namespace skiff::kafka
