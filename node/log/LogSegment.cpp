#include "log/LogSegment.h"

#include "log/ChunkReader.h"
#include "log/FileHandle.h"
#include "log/FileHandleCache.h"
#include "log/LogLog.h"
#include "log/OffsetIndex.h"
#include "log/TimeIndex.h"
#include "log/Varint.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <limits>
#include <unistd.h>

namespace skiff::log {

struct LogSegment::IndexPlan {
    std::vector<OffsetIndex::Entry> offsets;
    std::vector<TimeIndex::Entry> times;
    int64_t lastTime = std::numeric_limits<int64_t>::min();
};

LogSegment::~LogSegment() = default;

std::string LogSegment::fileStem(const std::string &dir, int64_t baseOffset)
{
    char name[32];
    std::snprintf(name, sizeof name, "%020lld", static_cast<long long>(baseOffset));
    return dir + "/" + name;
}

Result<std::unique_ptr<LogSegment>> LogSegment::openFiles(const std::shared_ptr<FileHandleCache> &cache,
                                                         const std::string &dir, int64_t baseOffset, bool truncate)
{
    std::string stem = fileStem(dir, baseOffset);
    std::unique_ptr<LogSegment> s(new LogSegment);
    s->m_baseOffset = baseOffset;
    s->m_nextOffset = baseOffset;
    s->m_log = std::make_unique<CachedFile>(cache, stem + ".log");
    if (auto log = s->m_log->create(truncate); !log)
        return log.status();
    if (truncate) {
        // Fresh index files: stale ones from an earlier life of this base offset must not survive.
        ::unlink((stem + ".index").c_str());
        ::unlink((stem + ".timeindex").c_str());
    }
    auto index = OffsetIndex::open(cache, stem + ".index", baseOffset);
    if (!index)
        return index.status();
    s->m_index = std::move(index.value());
    auto timeIndex = TimeIndex::open(cache, stem + ".timeindex", baseOffset);
    if (!timeIndex)
        return timeIndex.status();
    s->m_timeIndex = std::move(timeIndex.value());
    return s;
}

Result<std::unique_ptr<LogSegment>> LogSegment::create(const std::shared_ptr<FileHandleCache> &cache, const std::string &dir,
                                                      int64_t baseOffset)
{
    return openFiles(cache, dir, baseOffset, true);
}

Result<std::unique_ptr<LogSegment>> LogSegment::openExisting(const std::shared_ptr<FileHandleCache> &cache,
                                                            const std::string &dir, int64_t baseOffset)
{
    return openFiles(cache, dir, baseOffset, false);
}

Result<std::shared_ptr<FileHandle>> LogSegment::logFile() const { return m_log->get(); }

const std::string &LogSegment::logPath() const { return m_log->path(); }
const std::string &LogSegment::indexPath() const { return m_index->path(); }
const std::string &LogSegment::timeIndexPath() const { return m_timeIndex->path(); }

void LogSegment::trackBatch(const RecordBatchHeader &h, int64_t position, int32_t interval, IndexPlan &plan)
{
    if (m_maxTimestamp < 0 || h.maxTimestamp > m_maxTimestamp) {
        m_maxTimestamp = h.maxTimestamp;
        m_offsetOfMaxTimestamp = h.baseOffset;
    }
    if (m_bytesSinceIndexEntry > interval) {
        plan.offsets.push_back({static_cast<int32_t>(h.baseOffset - m_baseOffset), static_cast<int32_t>(position)});
        if (m_maxTimestamp > plan.lastTime) {
            plan.times.push_back({m_maxTimestamp, static_cast<int32_t>(m_offsetOfMaxTimestamp - m_baseOffset)});
            plan.lastTime = m_maxTimestamp;
        }
        m_bytesSinceIndexEntry = 0;
    }
    m_bytesSinceIndexEntry += static_cast<int64_t>(h.totalSize());
    m_nextOffset = h.lastOffset() + 1;
    m_size = position + static_cast<int64_t>(h.totalSize());
}

Status LogSegment::recover(const RecoveryOptions &options)
{
    auto file = m_log->get();   // held for the whole walk: index rewrites below may open files
    if (!file)
        return file.status();
    auto fileSize = file.value()->size();
    if (!fileSize)
        return fileSize.status();
    m_size = 0;
    m_nextOffset = m_baseOffset;
    m_maxTimestamp = -1;
    m_offsetOfMaxTimestamp = -1;
    m_bytesSinceIndexEntry = 0;
    IndexPlan plan;
    int64_t pos = 0;
    std::string problem;
    int64_t firstMaxTimestamp = -1;
    ChunkReader reader(*file.value(), fileSize.value());
    while (pos < fileSize.value()) {
        size_t available = static_cast<size_t>(fileSize.value() - pos);
        auto header = reader.view(pos, batch::kHeaderSize);
        if (!header)
            return header.status();
        RecordBatchHeader h;
        problem.clear();
        if (header.value().size() < batch::kHeaderSize) {
            problem = "incomplete batch header (" + std::to_string(header.value().size()) + " bytes)";
        } else {
            h = RecordBatchHeader::parse(header.value().data());
            if (h.magic != 2)
                problem = "magic " + std::to_string(h.magic) + " (expected 2)";
            else if (h.batchLength < static_cast<int32_t>(batch::kHeaderSize - batch::kLogOverhead))
                problem = "batch length " + std::to_string(h.batchLength) + " below the header size";
            else if (h.totalSize() > available)
                problem = "batch of " + std::to_string(h.totalSize()) + " bytes runs past the end of the file (" +
                          std::to_string(available) + " bytes left)";
            // Skiff never compacts, so offsets are contiguous: a gap means a damaged header.
            else if (h.lastOffsetDelta < 0 || h.baseOffset != m_nextOffset ||
                     h.lastOffset() - m_baseOffset > std::numeric_limits<int32_t>::max())
                problem = "offsets " + std::to_string(h.baseOffset) + ".." + std::to_string(h.lastOffset()) +
                          " out of sequence (expected " + std::to_string(m_nextOffset) + ")";
        }
        if (problem.empty() && h.lastOffset() >= options.verifyCrcFromOffset) {
            auto whole = reader.view(pos, h.totalSize());
            if (!whole)
                return whole.status();
            problem = checkStoredBatch(whole.value().data(), whole.value().size(), true);
        }
        if (!problem.empty()) {
            if (!options.isLast)
                return corruption("segment " + logPath() + " byte " + std::to_string(pos) + " (offset " +
                                  std::to_string(m_nextOffset) + "): " + problem +
                                  "; this is not the last segment, so it is not truncated automatically");
            qCWarning(lcLog, "truncating %s at byte %lld (next offset %lld, %lld bytes dropped): %s", logPath().c_str(),
                      static_cast<long long>(pos), static_cast<long long>(m_nextOffset),
                      static_cast<long long>(fileSize.value() - pos), problem.c_str());
            SKIFF_RETURN_IF_ERROR(file.value()->truncate(pos));
            break;
        }
        if (pos == 0)
            firstMaxTimestamp = h.maxTimestamp;
        if (options.onBatch)
            options.onBatch(h);
        trackBatch(h, pos, options.indexIntervalBytes, plan);
        pos += static_cast<int64_t>(h.totalSize());
    }
    m_firstBatchTimeMs = m_size > 0 ? firstMaxTimestamp : -1;
    if (!options.isLast && m_maxTimestamp > plan.lastTime && m_size > 0) {
        plan.times.push_back({m_maxTimestamp, static_cast<int32_t>(m_offsetOfMaxTimestamp - m_baseOffset)});
        plan.lastTime = m_maxTimestamp;
    }

    // The index files are derived data: if they differ in any way from what the batches imply
    // (missing, torn, garbled, stale after a truncation), rewrite them.
    if (!m_index->fileSizeValid() || m_index->entries() != plan.offsets) {
        if (!m_index->entries().empty() || !m_index->fileSizeValid() || !plan.offsets.empty())
            qCInfo(lcLog, "rebuilding %s from the log (%zu entries on disk, %zu expected)", indexPath().c_str(),
                   m_index->entries().size(), plan.offsets.size());
        SKIFF_RETURN_IF_ERROR(m_index->rewrite(std::move(plan.offsets)));
    }
    // The last segment's time index legitimately lacks the final entry a roll adds.
    if (!m_timeIndex->fileSizeValid() || m_timeIndex->entries() != plan.times) {
        if (!m_timeIndex->entries().empty() || !m_timeIndex->fileSizeValid() || !plan.times.empty())
            qCInfo(lcLog, "rebuilding %s from the log (%zu entries on disk, %zu expected)", timeIndexPath().c_str(),
                   m_timeIndex->entries().size(), plan.times.size());
        SKIFF_RETURN_IF_ERROR(m_timeIndex->rewrite(std::move(plan.times)));
    }
    return Status::ok();
}

Status LogSegment::append(std::string_view records, const std::vector<BatchSpan> &batches, int32_t indexIntervalBytes,
                          int64_t nowMs)
{
    int64_t start = m_size;
    auto file = m_log->get();
    if (!file)
        return file.status();
    if (Status s = file.value()->writeAll(records.data(), records.size(), start); !s.isOk()) {
        // Do not leave a partial batch behind: later appends would land after garbage.
        (void)file.value()->truncate(start);
        return s;
    }
    if (m_size == 0)
        m_firstBatchTimeMs = nowMs;
    IndexPlan plan;
    plan.lastTime = m_timeIndex->lastTimestamp();
    for (const auto &b : batches)
        trackBatch(b.header, start + static_cast<int64_t>(b.position), indexIntervalBytes, plan);
    // The data is written: from here on nothing may fail the append, or the caller would reuse
    // offsets. A failed index write only costs longer scans; recovery rebuilds the file.
    for (const auto &e : plan.offsets) {
        if (Status s = m_index->append(m_baseOffset + e.relativeOffset, e.position); !s.isOk()) {
            qCWarning(lcLog, "%s (index entry skipped; rebuilt at next open)", s.toString().c_str());
            break;
        }
    }
    for (const auto &e : plan.times) {
        if (Status s = m_timeIndex->maybeAppend(e.timestamp, m_baseOffset + e.relativeOffset); !s.isOk()) {
            qCWarning(lcLog, "%s (time index entry skipped; rebuilt at next open)", s.toString().c_str());
            break;
        }
    }
    return Status::ok();
}

Status LogSegment::truncateTo(int64_t offset, int32_t indexIntervalBytes)
{
    auto position = positionOf(offset);
    if (!position)
        return position.status();
    auto file = m_log->get();
    if (!file)
        return file.status();
    SKIFF_RETURN_IF_ERROR(file.value()->truncate(position.value()));
    SKIFF_RETURN_IF_ERROR(file.value()->datasync());
    RecoveryOptions options;
    options.isLast = true;
    options.verifyCrcFromOffset = std::numeric_limits<int64_t>::max(); // the batches were checked when written
    options.indexIntervalBytes = indexIntervalBytes;
    return recover(options);
}

Status LogSegment::onRolled()
{
    if (m_size == 0)
        return Status::ok();
    return m_timeIndex->maybeAppend(m_maxTimestamp, m_offsetOfMaxTimestamp);
}

Status LogSegment::forEachBatch(int64_t position,
                                const std::function<bool(int64_t, const RecordBatchHeader &)> &visit,
                                size_t chunkBytes) const
{
    if (position >= m_size)
        return Status::ok();
    auto file = m_log->get();   // held while reading: the cache does not close it meanwhile
    if (!file)
        return file.status();
    ChunkReader reader(*file.value(), m_size, chunkBytes);
    while (position < m_size) {
        auto bytes = reader.view(position, batch::kHeaderSize);
        if (!bytes)
            return bytes.status();
        auto h = checkedHeader(position, bytes.value());
        if (!h)
            return h.status();
        if (!visit(position, h.value()))
            break;
        position += static_cast<int64_t>(h.value().totalSize());
    }
    return Status::ok();
}

Result<RecordBatchHeader> LogSegment::checkedHeader(int64_t position, std::string_view available) const
{
    if (available.size() < batch::kHeaderSize)
        return corruption("segment " + logPath() + " byte " + std::to_string(position) + ": short batch header");
    auto h = RecordBatchHeader::parse(available.data());
    if (h.batchLength < static_cast<int32_t>(batch::kHeaderSize - batch::kLogOverhead) ||
        position + static_cast<int64_t>(h.totalSize()) > m_size)
        return corruption("segment " + logPath() + " byte " + std::to_string(position) + ": bad batch length " +
                          std::to_string(h.batchLength));
    return h;
}

Result<int64_t> LogSegment::positionOf(int64_t offset) const
{
    int64_t found = m_size;
    SKIFF_RETURN_IF_ERROR(forEachBatch(m_index->lookup(offset), [&](int64_t pos, const RecordBatchHeader &h) {
        if (h.lastOffset() < offset)
            return true;
        found = pos;
        return false;
    }, 16 * 1024)); // the index leaves about index.interval.bytes to scan
    return found;
}

Result<bool> LogSegment::readBatches(int64_t position, int64_t maxBytes, int64_t upperBoundOffset, std::string &out) const
{
    if (position >= m_size)
        return false;
    auto file = m_log->get();   // held while reading: the cache does not close it meanwhile
    if (!file)
        return file.status();
    const size_t base = out.size();   // out[base] holds the byte at `position`
    auto readInto = [&](int64_t from, int64_t to) -> Status {
        const size_t at = base + static_cast<size_t>(from - position);
        const size_t size = static_cast<size_t>(to - from);
        out.resize(at + size);
        auto n = file.value()->readAt(out.data() + at, size, from);
        if (!n)
            return n.status();
        if (n.value() != size)
            return ioError("short read of " + logPath() + " at byte " + std::to_string(from));
        return Status::ok();
    };
    // One read of all the limit leaves room for (a header at least); what follows the last batch
    // taken is cut off at the end.
    const int64_t room = std::max(maxBytes - static_cast<int64_t>(base), static_cast<int64_t>(batch::kHeaderSize));
    int64_t readEnd = std::min(m_size, position + room);
    if (Status s = readInto(position, readEnd); !s.isOk()) {
        out.resize(base);
        return s;
    }
    int64_t pos = position;
    bool stopped = false;
    while (pos < m_size) {
        if (pos + static_cast<int64_t>(batch::kHeaderSize) > readEnd && readEnd < m_size) {
            stopped = true;   // its header lies past the room, so its batch does too
            break;
        }
        const size_t at = base + static_cast<size_t>(pos - position);
        auto h = checkedHeader(pos, std::string_view(out).substr(at, static_cast<size_t>(readEnd - pos)));
        if (!h) {
            out.resize(base);
            return h.status();
        }
        const int64_t batchEnd = pos + static_cast<int64_t>(h.value().totalSize());
        const bool anyTaken = base > 0 || pos > position;
        if (h.value().lastOffset() >= upperBoundOffset ||
            (anyTaken && static_cast<int64_t>(base) + (batchEnd - position) > maxBytes)) {
            stopped = true;
            break;
        }
        if (batchEnd > readEnd) {   // only the first batch taken can outgrow the room
            if (Status s = readInto(readEnd, batchEnd); !s.isOk()) {
                out.resize(base);
                return s;
            }
            readEnd = batchEnd;
        }
        pos = batchEnd;
    }
    out.resize(base + static_cast<size_t>(pos - position));
    return stopped;
}

Result<std::optional<LogSegment::TimestampOffset>> LogSegment::findTimestamp(int64_t ts, int64_t fromOffset) const
{
    using Out = std::optional<TimestampOffset>;
    if (m_size == 0 || m_maxTimestamp < ts)
        return Out();
    auto start = positionOf(m_timeIndex->lookupBefore(ts));
    if (!start)
        return start.status();
    int64_t at = -1;
    RecordBatchHeader h;
    SKIFF_RETURN_IF_ERROR(forEachBatch(start.value(), [&](int64_t pos, const RecordBatchHeader &header) {
        if (header.maxTimestamp < ts || header.lastOffset() < fromOffset)
            return true;
        at = pos;
        h = header;
        return false;
    }));
    if (at < 0)
        return Out();
    const int64_t first = std::max(h.baseOffset, fromOffset);
    if (h.compression() != 0 || h.isLogAppendTime())
        return Out(TimestampOffset{first, h.maxTimestamp});
    std::string bytes;   // that batch alone
    if (auto read = readBatches(at, static_cast<int64_t>(h.totalSize()), std::numeric_limits<int64_t>::max(), bytes); !read)
        return read.status();
    // Walk the records: length, attributes, timestampDelta, offsetDelta, ...
    size_t rp = batch::kHeaderSize;
    for (int32_t i = 0; i < h.recordsCount; ++i) {
        int64_t len = 0, tsDelta = 0, offDelta = 0;
        if (!readVarlong(bytes.data(), bytes.size(), &rp, &len) || len <= 0)
            break;
        size_t next = rp + static_cast<size_t>(len);
        ++rp; // record attributes
        if (!readVarlong(bytes.data(), bytes.size(), &rp, &tsDelta) || !readVarlong(bytes.data(), bytes.size(), &rp, &offDelta))
            break;
        if (h.baseTimestamp + tsDelta >= ts && h.baseOffset + offDelta >= fromOffset)
            return Out(TimestampOffset{h.baseOffset + offDelta, h.baseTimestamp + tsDelta});
        rp = next;
    }
    return Out(TimestampOffset{first, h.maxTimestamp});
}

Status LogSegment::deleteFiles()
{
    for (const std::string *path : {&logPath(), &indexPath(), &timeIndexPath()}) {
        if (::unlink(path->c_str()) != 0 && errno != ENOENT)
            return ioErrorFromErrno("delete " + *path);
    }
    return Status::ok();
}

} // namespace skiff::log
