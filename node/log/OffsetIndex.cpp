#include "log/OffsetIndex.h"

#include "log/ByteOrder.h"

#include <algorithm>

namespace skiff::log {

OffsetIndexEntry OffsetIndexEntry::decode(const char *p)
{
    return {readBigEndian<int32_t>(p), readBigEndian<int32_t>(p + 4)};
}

void OffsetIndexEntry::encode(char *p) const
{
    writeBigEndian<int32_t>(p, relativeOffset);
    writeBigEndian<int32_t>(p + 4, position);
}

Result<std::unique_ptr<OffsetIndex>> OffsetIndex::open(std::shared_ptr<FileHandleCache> cache, const std::string &path,
                                                       int64_t baseOffset)
{
    std::unique_ptr<OffsetIndex> index(new OffsetIndex(std::move(cache), path, baseOffset));
    SKIFF_RETURN_IF_ERROR(index->load());
    return index;
}

Status OffsetIndex::append(int64_t offset, int64_t position)
{
    return appendEntry({static_cast<int32_t>(offset - m_baseOffset), static_cast<int32_t>(position)});
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
