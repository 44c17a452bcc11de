#include "log/ProducerStateTable.h"

#include "log/RecordBatch.h"

#include <limits>

namespace skiff::log {

namespace {

int32_t nextSequence(int32_t seq)
{
    return seq == std::numeric_limits<int32_t>::max() ? 0 : seq + 1;
}

} // namespace

ProducerStateTable::Check ProducerStateTable::check(const ProducerEntry *entry, int64_t producerId, int16_t epoch,
                                                    int32_t firstSeq, int32_t lastSeq)
{
    Check c;
    auto reject = [&](LogErrc e, std::string m) {
        c.verdict = Verdict::Reject;
        c.error = e;
        c.message = "producer " + std::to_string(producerId) + ": " + std::move(m);
        return c;
    };
    if (!entry)
        return c;
    if (epoch < entry->epoch)
        return reject(LogErrc::InvalidProducerEpoch, "epoch " + std::to_string(epoch) +
                                                         " is older than the current epoch " + std::to_string(entry->epoch));
    if (epoch > entry->epoch) {
        if (firstSeq != 0)
            return reject(LogErrc::OutOfOrderSequenceNumber, "new epoch " + std::to_string(epoch) +
                                                                 " must start at sequence 0, got " + std::to_string(firstSeq));
        return c;
    }
    for (const auto &b : entry->batches) {
        if (b.firstSeq == firstSeq && b.lastSeq == lastSeq) {
            c.verdict = Verdict::Duplicate;
            c.duplicateOf = b;
            return c;
        }
    }
    if (entry->batches.empty())
        return c;
    int32_t expected = nextSequence(entry->batches.back().lastSeq);
    if (firstSeq != expected)
        return reject(LogErrc::OutOfOrderSequenceNumber, "epoch " + std::to_string(epoch) + " sequence " +
                                                             std::to_string(firstSeq) + " where " +
                                                             std::to_string(expected) + " was expected");
    return c;
}

namespace {

std::string batchName(const RecordBatchHeader &h)
{
    return "producer " + std::to_string(h.producerId) + " epoch " + std::to_string(h.producerEpoch) + " seq " +
           std::to_string(h.baseSequence) + ".." + std::to_string(h.lastSequence());
}

// What the table held for the producer before this batch.
std::string knownState(const ProducerEntry *entry)
{
    if (!entry)
        return "producer not known here";
    if (entry->batches.empty())
        return "known in epoch " + std::to_string(entry->epoch) + " with no batch";
    const ProducerBatchInfo &last = entry->batches.back();
    return "known in epoch " + std::to_string(entry->epoch) + ", last seq " + std::to_string(last.lastSeq) +
           " at offset " + std::to_string(last.lastOffset);
}

} // namespace

std::string ProducerStateTable::describe(const Check &check, const ProducerEntry *entry, const RecordBatchHeader &h,
                                         int64_t offset)
{
    std::string verdict;
    switch (check.verdict) {
    case Verdict::Append:
        verdict = "appended at offset " + std::to_string(offset);
        break;
    case Verdict::Duplicate:
        verdict = "duplicate of offsets " + std::to_string(check.duplicateOf.firstOffset) + ".." +
                  std::to_string(check.duplicateOf.lastOffset);
        break;
    case Verdict::Reject:
        verdict = "refused (" + check.message + ")";
        break;
    }
    return batchName(h) + ": " + verdict + "; " + knownState(entry);
}

std::string ProducerStateTable::describeReplicated(const ProducerEntry *entry, const RecordBatchHeader &h)
{
    return batchName(h) + " at offset " + std::to_string(h.baseOffset) + "; " + knownState(entry);
}

void ProducerStateTable::record(ProducerEntry &entry, int16_t epoch, const ProducerBatchInfo &batch)
{
    if (epoch != entry.epoch) {
        entry.epoch = epoch;
        entry.batches.clear();
    }
    entry.batches.push_back(batch);
    while (entry.batches.size() > kCachedBatches)
        entry.batches.pop_front();
}

const ProducerEntry *ProducerStateTable::find(int64_t producerId) const
{
    auto it = m_producers.find(producerId);
    return it == m_producers.end() ? nullptr : &it->second;
}

void ProducerStateTable::applyRecovered(const RecordBatchHeader &h)
{
    if (!h.hasProducerId() || h.isControl() || h.baseSequence < 0)
        return;
    record(m_producers[h.producerId], h.producerEpoch,
           {h.baseSequence, h.lastSequence(), h.baseOffset, h.lastOffset(), h.maxTimestamp});
}

void ProducerStateTable::removeBelow(int64_t logStartOffset)
{
    std::erase_if(m_producers, [&](const auto &kv) {
        return kv.second.batches.empty() || kv.second.batches.back().lastOffset < logStartOffset;
    });
}

} // namespace skiff::log
