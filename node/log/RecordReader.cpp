#include "log/RecordReader.h"

#include "log/RecordBatch.h"
#include "log/Varint.h"

namespace skiff::log {

namespace {

bool readVarint(const char *p, size_t end, size_t *pos, int64_t *out)
{
    return readVarlong(p, end, pos, out);
}

bool readNullable(const char *p, size_t end, size_t *pos, std::optional<std::string> *out)
{
    int64_t len = 0;
    if (!readVarint(p, end, pos, &len))
        return false;
    if (len < 0) {
        out->reset();
        return true;
    }
    if (size_t(len) > end - *pos)
        return false;
    out->emplace(p + *pos, size_t(len));
    *pos += size_t(len);
    return true;
}

} // namespace

Result<DecodedRecords> decodeRecords(std::string_view records, int64_t fromOffset)
{
    DecodedRecords out;
    out.nextOffset = fromOffset;
    size_t at = 0;
    while (records.size() - at >= batch::kHeaderSize) {
        const RecordBatchHeader h = RecordBatchHeader::parse(records.data() + at);
        if (h.batchLength < 0 || h.totalSize() > records.size() - at)
            break;   // a partial batch at the end of a read: the caller reads on from nextOffset
        const size_t batchEnd = at + h.totalSize();
        out.nextOffset = h.lastOffset() + 1;
        if (h.isControl()) {
            at = batchEnd;
            continue;
        }
        if (h.compression() != 0)
            return invalidArgument("compressed batch at offset " + std::to_string(h.baseOffset)
                                   + " in an internal topic (only uncompressed batches are written there)");
        const char *p = records.data();
        size_t pos = at + batch::kHeaderSize;
        for (int32_t i = 0; i < h.recordsCount; ++i) {
            int64_t length = 0, timestampDelta = 0, offsetDelta = 0, headers = 0;
            if (!readVarint(p, batchEnd, &pos, &length) || length < 0 || size_t(length) > batchEnd - pos)
                return corruption("bad record length in batch at offset " + std::to_string(h.baseOffset));
            const size_t recordEnd = pos + size_t(length);
            StoredRecord r;
            ++pos; // attributes
            if (!readVarint(p, recordEnd, &pos, &timestampDelta) || !readVarint(p, recordEnd, &pos, &offsetDelta)
                || !readNullable(p, recordEnd, &pos, &r.key) || !readNullable(p, recordEnd, &pos, &r.value)
                || !readVarint(p, recordEnd, &pos, &headers))
                return corruption("bad record in batch at offset " + std::to_string(h.baseOffset));
            r.offset = h.baseOffset + offsetDelta;
            r.timestampMs = h.baseTimestamp + timestampDelta;
            pos = recordEnd;   // headers are not used by internal topics
            if (r.offset >= fromOffset)
                out.records.push_back(std::move(r));
        }
        at = batchEnd;
    }
    return out;
}

} // namespace skiff::log
