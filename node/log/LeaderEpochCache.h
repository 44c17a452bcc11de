#pragma once
// The leader epochs of one partition log: for each epoch the offset of its first record, in
// ascending order (Kafka's LeaderEpochFileCache). Replicas compare logs by these entries
// (OffsetForLeaderEpoch, Fetch's DivergingEpoch) to find where a follower must truncate
// (KIP-101), and a new leader records its epoch at its log end before writing anything in it
// (KIP-279).
//
// Checkpointed in the partition directory as `leader-epoch-checkpoint`, Kafka's text format:
//   0            <- version
//   2            <- number of entries
//   0 0          <- "epoch startOffset", ascending
//   3 150
// rewritten whole (temp file, rename) whenever the entries change, and not fsynced.
//
// The batch headers are the truth for every entry a batch carries; PartitionLog::open rebuilds
// those from them. The one entry no batch carries (a leader's epoch before its first append)
// matters only to the process that assigned it: a broker that restarts is fenced and
// registered again, and leads in a new epoch, so losing that entry in a crash loses nothing.
// Hence no fsync: a failover assigns epochs to thousands of partitions at once.
//
// Used from the thread that owns the partition log only; no locking.

#include "common/Status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skiff::log {

class LeaderEpochCache {
public:
    static constexpr const char *kFileName = "leader-epoch-checkpoint";
    static constexpr int32_t kUndefinedEpoch = -1;       // Kafka's UNDEFINED_EPOCH
    static constexpr int64_t kUndefinedEpochOffset = -1; // Kafka's UNDEFINED_EPOCH_OFFSET

    struct Entry {
        int32_t epoch = 0;
        int64_t startOffset = 0;
        bool operator==(const Entry &) const = default;
    };

    // An empty cache for the partition directory `dir` (nothing is written until it changes).
    explicit LeaderEpochCache(std::string dir);

    // Reads `dir`/leader-epoch-checkpoint. A missing file is an empty cache; an unreadable or
    // malformed one is a Corruption error naming the file and what is wrong.
    static Result<LeaderEpochCache> load(const std::string &dir);

    // Kafka's assign: adds (epoch, startOffset) unless the latest entry already has this epoch
    // with a start offset <= startOffset (an epoch keeps its first start offset). Entries that
    // would break monotonicity (epoch >= epoch or startOffset >= startOffset), which only a
    // stale tail can produce, are removed first, with a warning. Persists when anything changed.
    // InvalidArgument for a negative epoch or offset (nothing changes).
    Status assign(int32_t epoch, int64_t startOffset);
    // The same rules without writing the file; true when the entries changed. For rebuilding
    // from batch headers: many assigns, then one persist().
    bool assignInMemory(int32_t epoch, int64_t startOffset);

    // Kafka's endOffsetFor: the largest epoch <= `epoch` and the offset where it ends.
    //   epoch == -1, or above every cached epoch, or the cache is empty -> (-1, -1)
    //   epoch == latest epoch                         -> (epoch, logEndOffset)
    //   epoch below every cached epoch                -> (epoch, start offset of the first entry)
    //   otherwise -> (largest cached epoch <= epoch, start offset of the next higher entry)
    std::pair<int32_t, int64_t> endOffsetFor(int32_t epoch, int64_t logEndOffset) const;

    // Removes entries whose start offset is >= endOffset (the log was truncated there).
    Status truncateFromEnd(int64_t endOffset);
    // Removes entries that start at or below startOffset except the last of them, which then
    // starts at startOffset (the log start moved there; exclusive, as in Kafka).
    Status truncateFromStart(int64_t startOffset);
    // Removes every entry (the log was emptied).
    Status clear();

    std::optional<int32_t> latestEpoch() const;
    // The start offset of `epoch`, -1 when the cache has no entry for it.
    int64_t startOffsetOf(int32_t epoch) const;
    // The epoch the record at `offset` was written in (the last entry starting at or below it;
    // Kafka's epochForOffset), nullopt below the first entry or with none.
    std::optional<int32_t> epochForOffset(int64_t offset) const;
    const std::vector<Entry> &entries() const { return m_entries; }
    const std::string &path() const { return m_path; }

    // Writes the entries to the checkpoint file (durably, replacing it).
    Status persist() const;

private:
    LeaderEpochCache(std::string dir, std::vector<Entry> entries);
    Status persistIf(bool changed) const;

    std::string m_dir;
    std::string m_path;
    std::vector<Entry> m_entries; // ascending epochs, non-decreasing start offsets
};

} // namespace skiff::log
