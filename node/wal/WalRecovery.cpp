#include "wal/WalRecovery.h"

#include "wal/SegmentFile.h"
#include "wal/WalLog.h"
#include "wal/WalRecord.h"

#include <algorithm>
#include <dirent.h>
#include <unistd.h>

namespace skiff::wal {

namespace {

struct NamedSegment {
    uint64_t nameIndex;
    std::string path;
};

Result<std::vector<NamedSegment>> listSegments(const std::string &dir)
{
    DIR *d = ::opendir(dir.c_str());
    if (!d)
        return ioErrorFromErrno("listing WAL directory " + dir);
    std::vector<NamedSegment> out;
    while (dirent *e = ::readdir(d)) {
        uint64_t index = 0;
        if (SegmentFile::parseFileName(e->d_name, index))
            out.push_back({index, dir + "/" + e->d_name});
    }
    ::closedir(d);
    std::sort(out.begin(), out.end(), [](const NamedSegment &a, const NamedSegment &b) { return a.nameIndex < b.nameIndex; });
    return out;
}

// Replays the records of one segment into the result. Owns the position bookkeeping so every
// error message can name the file, the byte offset and the entry index.
class SegmentReplay {
public:
    SegmentReplay(RecoveryResult &result, const NamedSegment &segment, std::string_view data, bool first, bool last)
        : m_r(result), m_seg(segment), m_data(data), m_first(first), m_last(last)
    {
    }

    // Returns the number of valid bytes (== data.size() unless a torn tail was found).
    Result<uint64_t> run(SegmentInfo &info)
    {
        size_t offset = 0;
        bool inPreamble = true;
        while (offset < m_data.size()) {
            const DecodedRecord rec = decodeRecord(m_data, offset);
            if (rec.outcome != DecodedRecord::Outcome::Ok)
                return damaged(offset, rec);
            if (offset == 0) {
                SKIFF_RETURN_IF_ERROR(applyHeader(rec, info));
            } else {
                if (rec.type != RecordType::HardState && rec.type != RecordType::SnapshotMarker)
                    inPreamble = false;
                SKIFF_RETURN_IF_ERROR(apply(offset, rec, info));
            }
            offset += rec.totalBytes;
            if (inPreamble)
                m_r.lastSegmentPreambleEnd = offset;
        }
        if (m_data.empty())
            return damaged(0, decodeRecord(m_data, 0));
        return uint64_t(offset);
    }

private:
    Status error(size_t offset, const std::string &what) const
    {
        return corruption("WAL segment " + m_seg.path + " offset " + std::to_string(offset) + ": " + what);
    }

    Result<uint64_t> damaged(size_t offset, const DecodedRecord &rec)
    {
        const uint64_t nextIndex = m_r.terms.last() + 1;
        const size_t validAfter = findValidRecordAfter(m_data, offset);
        if (m_last && validAfter == std::string_view::npos) {
            // A write cut short by a crash: everything from here on was never acknowledged durable.
            m_r.state.tornBytesDropped = m_data.size() - offset;
            qCWarning(lcWal, "WAL segment %s: torn tail at offset %zu (%s); dropping %zu bytes, the log ends at entry %llu",
                      m_seg.path.c_str(), offset, rec.problem.c_str(), m_data.size() - offset,
                      static_cast<unsigned long long>(m_r.terms.last()));
            return uint64_t(offset);
        }
        std::string why = rec.problem + "; the last good entry is " + std::to_string(nextIndex - 1) +
                          ", so this record is probably entry " + std::to_string(nextIndex) + " or a state record";
        if (validAfter != std::string_view::npos)
            why += "; a valid record follows at offset " + std::to_string(validAfter) + ", so this is damage inside the log, not a torn write";
        else
            why += "; this is not the last segment, so it cannot be a torn write";
        return error(offset, why + ". Refusing to start; restore this node's WAL from a replica");
    }

    Status applyHeader(const DecodedRecord &rec, SegmentInfo &info)
    {
        SegmentHeader h;
        if (rec.type != RecordType::SegmentHeader || !decodeSegmentHeader(rec.payload, h))
            return error(0, "the first record is not a segment header");
        if (h.version != kFormatVersion)
            return error(0, "unsupported WAL format version " + std::to_string(h.version) + " (this build reads " +
                                std::to_string(kFormatVersion) + ")");
        if (h.firstIndex == 0 || h.firstIndex > m_seg.nameIndex)
            return error(0, "header first index " + std::to_string(h.firstIndex) + " does not fit the file name");
        if (m_first) {
            m_r.terms = TermIndex(h.firstIndex - 1);
        } else if (h.firstIndex != m_r.terms.last() + 1) {
            return error(0, "segment starts at index " + std::to_string(h.firstIndex) + " but the previous segment ends at " +
                                std::to_string(m_r.terms.last()) + " (a segment is missing or was replaced)");
        }
        info.nameIndex = m_seg.nameIndex;
        info.firstIndex = h.firstIndex;
        info.path = m_seg.path;
        return Status::ok();
    }

    Status apply(size_t offset, const DecodedRecord &rec, SegmentInfo &info)
    {
        auto &entries = m_r.state.entries;
        TermIndex &terms = m_r.terms;
        switch (rec.type) {
        case RecordType::SegmentHeader:
            return error(offset, "segment header in the middle of a segment");
        case RecordType::Entry: {
            raft::Entry e;
            if (!e.ParseFromArray(rec.payload.data(), int(rec.payload.size())))
                return error(offset, "entry record does not parse (expected entry " + std::to_string(terms.last() + 1) + ")");
            if (e.index() != terms.last() + 1)
                return error(offset, "entry index " + std::to_string(e.index()) + " where " + std::to_string(terms.last() + 1) +
                                         " was expected (entries must be contiguous)");
            if (e.type() == raft::ENTRY_UNSPECIFIED)
                return error(offset, "entry " + std::to_string(e.index()) + " has no type");
            terms.append(e.index(), e.term());
            entries.push_back(std::move(e));
            return Status::ok();
        }
        case RecordType::HardState:
            if (!m_r.state.hardState.ParseFromArray(rec.payload.data(), int(rec.payload.size())))
                return error(offset, "hard state record does not parse");
            m_r.hasHardState = true;
            return Status::ok();
        case RecordType::SnapshotMarker: {
            raft::SnapshotMetadata meta;
            if (!meta.ParseFromArray(rec.payload.data(), int(rec.payload.size())))
                return error(offset, "snapshot marker does not parse");
            const uint64_t before = terms.base();
            terms.compactThrough(meta.index());
            const uint64_t dropped = std::min<uint64_t>(terms.base() - before, entries.size());
            entries.erase(entries.begin(), entries.begin() + long(dropped));
            if (terms.empty())
                entries.clear();
            m_r.state.snapshot = std::move(meta);
            return Status::ok();
        }
        case RecordType::Truncate: {
            uint64_t from = 0;
            if (!decodeU64(rec.payload, from))
                return error(offset, "truncate record does not parse");
            if (from <= terms.base() || from > terms.last())
                return error(offset, "truncation at index " + std::to_string(from) + " outside the log (" +
                                         std::to_string(terms.base() + 1) + ".." + std::to_string(terms.last()) + ")");
            entries.resize(size_t(from - terms.base() - 1));
            terms.truncateFrom(from);
            info.minTruncation = std::min(info.minTruncation, from);
            return Status::ok();
        }
        }
        return error(offset, "unknown record type");
    }

    RecoveryResult &m_r;
    const NamedSegment &m_seg;
    std::string_view m_data;
    bool m_first;
    bool m_last;
};

} // namespace

Result<RecoveryResult> WalRecovery::run(const std::string &dir)
{
    auto listed = listSegments(dir);
    if (!listed)
        return listed.status();
    std::vector<NamedSegment> &segments = *listed;
    RecoveryResult result;
    for (size_t i = 0; i < segments.size(); ++i) {
        const bool last = i + 1 == segments.size();
        auto data = SegmentFile::readAll(segments[i].path);
        if (!data)
            return data.status();
        SegmentInfo info;
        SegmentReplay replay(result, segments[i], *data, result.segments.empty(), last);
        auto valid = replay.run(info);
        if (!valid)
            return valid.status();
        if (*valid == 0) {
            // The newest segment's header never made it to disk (crash right after creating it).
            if (::unlink(segments[i].path.c_str()) != 0)
                return ioErrorFromErrno("removing WAL segment with torn header " + segments[i].path);
            SKIFF_RETURN_IF_ERROR(SegmentFile::syncDirectory(dir));
            if (!result.segments.empty()) {
                auto prev = SegmentFile::readAll(result.segments.back().path);
                if (!prev)
                    return prev.status();
                result.lastSegmentBytes = prev->size();
                // Preamble end of the previous segment is unknown here; its size is safe (it has data).
                result.lastSegmentPreambleEnd = 0;
            }
            break;
        }
        if (*valid < data->size()) {
            auto file = SegmentFile::openExisting(segments[i].path);
            if (!file)
                return file.status();
            SKIFF_RETURN_IF_ERROR((*file)->truncate(*valid));
            SKIFF_RETURN_IF_ERROR((*file)->datasync());
        }
        result.lastSegmentBytes = *valid;
        result.segments.push_back(std::move(info));
    }
    // Compaction only deletes segments whose entries the latest snapshot covers; anything else
    // means entries are missing.
    const uint64_t expectedBase = result.state.snapshot ? result.state.snapshot->index() : 0;
    if (!result.segments.empty() && result.terms.base() != expectedBase) {
        return corruption("WAL in " + dir + ": the log starts after index " + std::to_string(result.terms.base()) +
                          " but the latest snapshot marker covers only up to " + std::to_string(expectedBase) +
                          " (first segment " + result.segments.front().path + "); entries are missing");
    }
    return result;
}

} // namespace skiff::wal
