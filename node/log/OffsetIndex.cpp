#include "log/OffsetIndex.h"

#include "log/ByteOrder.h"
#include "log/FileHandle.h"
#include "log/FileHandleCache.h"

#include <algorithm>

namespace skiff::log {

OffsetIndex::OffsetIndex(std::unique_ptr<CachedFile> file, int64_t baseOffset) : m_file(std::move(file)), m_baseOffset(baseOffset) {}

OffsetIndex::~OffsetIndex() = default;

Result<std::unique_ptr<OffsetIndex>> OffsetIndex::open(std::shared_ptr<FileHandleCache> cache, const std::string &path, int64_t baseOffset)
{
    auto cached = std::make_unique<CachedFile>(std::move(cache), path);
    auto file = cached->create(false);
    if (!file)
        return file.status();
    std::unique_ptr<OffsetIndex> index(new OffsetIndex(std::move(cached), baseOffset));
    auto size = file.value()->size();
    if (!size)
        return size.status();
    std::string bytes(static_cast<size_t>(size.value()), '\0');
    auto n = file.value()->readAt(bytes.data(), bytes.size(), 0);
    if (!n)
        return n.status();
    index->m_fileSizeValid = n.value() % kEntrySize == 0;
    for (size_t p = 0; p + kEntrySize <= n.value(); p += kEntrySize)
        index->m_entries.push_back({readBigEndian<int32_t>(bytes.data() + p), readBigEndian<int32_t>(bytes.data() + p + 4)});
    return index;
}

const std::string &OffsetIndex::path() const { return m_file->path(); }

Status OffsetIndex::append(int64_t offset, int64_t position)
{
    Entry e{static_cast<int32_t>(offset - m_baseOffset), static_cast<int32_t>(position)};
    char buf[kEntrySize];
    writeBigEndian<int32_t>(buf, e.relativeOffset);
    writeBigEndian<int32_t>(buf + 4, e.position);
    auto file = m_file->get();
    if (!file)
        return file.status();
    SKIFF_RETURN_IF_ERROR(file.value()->writeAll(buf, kEntrySize, static_cast<int64_t>(m_entries.size() * kEntrySize)));
    m_entries.push_back(e);
    return Status::ok();
}

Status OffsetIndex::rewrite(std::vector<Entry> entries)
{
    std::string bytes(entries.size() * kEntrySize, '\0');
    for (size_t i = 0; i < entries.size(); ++i) {
        writeBigEndian<int32_t>(bytes.data() + i * kEntrySize, entries[i].relativeOffset);
        writeBigEndian<int32_t>(bytes.data() + i * kEntrySize + 4, entries[i].position);
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

int64_t OffsetIndex::lookup(int64_t offset) const
{
    int64_t rel = offset - m_baseOffset;
    auto it = std::upper_bound(m_entries.begin(), m_entries.end(), rel,
                               [](int64_t r, const Entry &e) { return r < e.relativeOffset; });
    if (it == m_entries.begin())
        return 0;
    return std::prev(it)->position;
}

} // namespace skiff::log
