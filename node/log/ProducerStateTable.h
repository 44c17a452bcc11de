#pragma once
// Idempotent-producer state of one partition: per producer id the epoch and the last five
// batches' sequence ranges and offsets, enough to recognise a retried batch and return its
// original offsets, and to reject gaps and fenced (older) epochs. Rebuilt on open from batch
// headers, so it survives restarts without a snapshot file.

#include "log/LogErrc.h"

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace skiff::log {

struct RecordBatchHeader;

struct ProducerBatchInfo {
    int32_t firstSeq = 0;
    int32_t lastSeq = 0;
    int64_t firstOffset = 0;
    int64_t lastOffset = 0;
    int64_t timestamp = -1; // the batch's maxTimestamp as stored
};

struct ProducerEntry {
    int16_t epoch = -1;
    std::deque<ProducerBatchInfo> batches; // oldest first, at most kCachedBatches
};

class ProducerStateTable {
public:
    static constexpr size_t kCachedBatches = 5;

    enum class Verdict { Append, Duplicate, Reject };
    struct Check {
        Verdict verdict = Verdict::Append;
        LogErrc error = LogErrc::None;   // OutOfOrderSequenceNumber or InvalidProducerEpoch on Reject
        ProducerBatchInfo duplicateOf;   // on Duplicate
        std::string message;
    };

    // Checks one batch of producer `producerId` against `entry` (null: producer unknown, any
    // sequence is accepted, as modern Kafka does). Sequence numbers wrap at INT32_MAX.
    static Check check(const ProducerEntry *entry, int64_t producerId, int16_t epoch, int32_t firstSeq, int32_t lastSeq);
    // One line for the skiff.producers debug log: the batch of `header` and what `check` decided
    // against `entry` (as it was), to be appended at `offset`.
    static std::string describe(const Check &check, const ProducerEntry *entry, const RecordBatchHeader &header,
                                int64_t offset);
    // The same for a batch a follower records without checks.
    static std::string describeReplicated(const ProducerEntry *entry, const RecordBatchHeader &header);
    // Records an appended batch; a new epoch forgets the cached batches of the old one.
    static void record(ProducerEntry &entry, int16_t epoch, const ProducerBatchInfo &batch);

    const ProducerEntry *find(int64_t producerId) const;
    void put(int64_t producerId, ProducerEntry entry) { m_producers[producerId] = std::move(entry); }
    // Recovery: applies a batch read from the log without checks (the log is the truth).
    void applyRecovered(const RecordBatchHeader &header);
    // After retention: forgets producers whose last batch lies wholly below the log start.
    void removeBelow(int64_t logStartOffset);
    size_t size() const { return m_producers.size(); }
    // Every producer with state here, unordered (DescribeProducers).
    const std::unordered_map<int64_t, ProducerEntry> &entries() const { return m_producers; }
    void clear() { m_producers.clear(); }

private:
    std::unordered_map<int64_t, ProducerEntry> m_producers;
};

} // namespace skiff::log
