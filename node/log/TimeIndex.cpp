#include "log/TimeIndex.h"

#include "log/ByteOrder.h"
#include "log/FileHandle.h"
#include "log/FileHandleCache.h"

#include <algorithm>

namespace skiff::log {

TimeIndex::TimeIndex(std::unique_ptr<CachedFile> file, int64_t baseOffset) : m_file(std::move(file)), m_baseOffset(baseOffset) {}

TimeIndex::~TimeIndex() = default;

Result<std::unique_ptr<TimeIndex>> TimeIndex::open(std::shared_ptr<FileHandleCache> cache, const std::string &path, int64_t baseOffset)
{
    auto cached = std::make_unique<CachedFile>(std::move(cache), path);
    auto file = cached->create(false);
    if (!file)
        return file.status();
    std::unique_ptr<TimeIndex> index(new TimeIndex(std::move(cached), baseOffset));
    auto size = file.value()->size();
    if (!size)
        return size.status();
    std::string bytes(static_cast<size_t>(size.value()), '\0');
    auto n = file.value()->readAt(bytes.data(), bytes.size(), 0);
    if (!n)
        return n.status();
    index->m_fileSizeValid = n.value() % kEntrySize == 0;
    for (size_t p = 0; p + kEntrySize <= n.value(); p += kEntrySize)
        index->m_entries.push_back({readBigEndian<int64_t>(bytes.data() + p), readBigEndian<int32_t>(bytes.data() + p + 8)});
    return index;
}

const std::string &TimeIndex::path() const { return m_file->path(); }

Status TimeIndex::maybeAppend(int64_t timestamp, int64_t offset)
{
    if (timestamp <= lastTimestamp())
        return Status::ok();
    Entry e{timestamp, static_cast<int32_t>(offset - m_baseOffset)};
    char buf[kEntrySize];
    writeBigEndian<int64_t>(buf, e.timestamp);
    writeBigEndian<int32_t>(buf + 8, e.relativeOffset);
    auto file = m_file->get();
    if (!file)
        return file.status();
    SKIFF_RETURN_IF_ERROR(file.value()->writeAll(buf, kEntrySize, static_cast<int64_t>(m_entries.size() * kEntrySize)));
    m_entries.push_back(e);
    return Status::ok();
}

Status TimeIndex::rewrite(std::vector<Entry> entries)
{
    std::string bytes(entries.size() * kEntrySize, '\0');
    for (size_t i = 0; i < entries.size(); ++i) {
        writeBigEndian<int64_t>(bytes.data() + i * kEntrySize, entries[i].timestamp);
        writeBigEndian<int32_t>(bytes.data() + i * kEntrySize + 8, entries[i].relativeOffset);
    }
    auto file = m_file->get();
    if (!file)
        return file.status();
    SKIFF_RETURN_IF_ERROR(file.value()->truncate(0));
    SKIFF_RETURN_IF_ERROR(file.value()->writeAll(bytes.data(), bytes.size(), 0));
    m_entries = std::move(entries);
    m_fileSizeValid = true;
    return Status::ok();
}

int64_t TimeIndex::lookupBefore(int64_t timestamp) const
{
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), timestamp,
                               [](const Entry &e, int64_t t) { return e.timestamp < t; });
    if (it == m_entries.begin())
        return m_baseOffset;
    return m_baseOffset + std::prev(it)->relativeOffset;
}

} // namespace skiff::log
