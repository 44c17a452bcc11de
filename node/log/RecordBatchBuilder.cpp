#include "log/RecordBatchBuilder.h"

#include "log/ByteOrder.h"
#include "log/RecordBatch.h"
#include "log/Varint.h"

#include <algorithm>
#include <cassert>

namespace skiff::log {

RecordBatchBuilder &RecordBatchBuilder::setBaseOffset(int64_t baseOffset)
{
    m_baseOffset = baseOffset;
    return *this;
}

RecordBatchBuilder &RecordBatchBuilder::setProducer(int64_t producerId, int16_t producerEpoch, int32_t baseSequence)
{
    m_producerId = producerId;
    m_producerEpoch = producerEpoch;
    m_baseSequence = baseSequence;
    return *this;
}

RecordBatchBuilder &RecordBatchBuilder::setLogAppendTime(bool logAppendTime)
{
    m_logAppendTime = logAppendTime;
    return *this;
}

RecordBatchBuilder &RecordBatchBuilder::add(Record record)
{
    m_records.push_back(std::move(record));
    return *this;
}

RecordBatchBuilder &RecordBatchBuilder::add(std::string key, std::string value, int64_t timestampMs)
{
    return add(Record{std::move(key), std::move(value), {}, timestampMs});
}

namespace {

void appendBytes(std::string &out, const std::optional<std::string> &bytes)
{
    if (!bytes) {
        appendVarint(out, -1);
        return;
    }
    appendVarint(out, static_cast<int32_t>(bytes->size()));
    out += *bytes;
}

} // namespace

std::string RecordBatchBuilder::build() const
{
    assert(!m_records.empty());
    int64_t baseTs = m_records.front().timestampMs;
    int64_t maxTs = baseTs;
    for (const auto &r : m_records)
        maxTs = std::max(maxTs, r.timestampMs);

    std::string out(batch::kHeaderSize, '\0');
    std::string body;
    for (size_t i = 0; i < m_records.size(); ++i) {
        const auto &r = m_records[i];
        body.clear();
        body.push_back('\0'); // record attributes: unused
        appendVarlong(body, r.timestampMs - baseTs);
        appendVarint(body, static_cast<int32_t>(i));
        appendBytes(body, r.key);
        appendBytes(body, r.value);
        appendVarint(body, static_cast<int32_t>(r.headers.size()));
        for (const auto &[k, v] : r.headers) {
            appendVarint(body, static_cast<int32_t>(k.size()));
            body += k;
            appendVarint(body, static_cast<int32_t>(v.size()));
            body += v;
        }
        appendVarint(out, static_cast<int32_t>(body.size()));
        out += body;
    }

    int16_t attrs = 0;
    if (m_logAppendTime)
        attrs |= batch::kTimestampTypeBit;
    char *d = out.data();
    writeBigEndian<int64_t>(d + batch::kBaseOffset, m_baseOffset);
    writeBigEndian<int32_t>(d + batch::kBatchLength, static_cast<int32_t>(out.size() - batch::kLogOverhead));
    writeBigEndian<int32_t>(d + batch::kPartitionLeaderEpoch, -1);   // none, as a producer sends
    d[batch::kMagic] = 2;
    writeBigEndian<int16_t>(d + batch::kAttributes, attrs);
    writeBigEndian<int32_t>(d + batch::kLastOffsetDelta, static_cast<int32_t>(m_records.size() - 1));
    writeBigEndian<int64_t>(d + batch::kBaseTimestamp, baseTs);
    writeBigEndian<int64_t>(d + batch::kMaxTimestamp, maxTs);
    writeBigEndian<int64_t>(d + batch::kProducerId, m_producerId);
    writeBigEndian<int16_t>(d + batch::kProducerEpoch, m_producerEpoch);
    writeBigEndian<int32_t>(d + batch::kBaseSequence, m_baseSequence);
    writeBigEndian<int32_t>(d + batch::kRecordsCount, static_cast<int32_t>(m_records.size()));
    writeBigEndian<uint32_t>(d + batch::kCrc, computeBatchCrc(d, out.size()));
    return out;
}

} // namespace skiff::log
