#include "log/TimeIndex.h"

#include "log/ByteOrder.h"

#include <algorithm>

namespace skiff::log {

TimeIndexEntry TimeIndexEntry::decode(const char *p)
{
    return {readBigEndian<int64_t>(p), readBigEndian<int32_t>(p + 8)};
}

void TimeIndexEntry::encode(char *p) const
{
    writeBigEndian<int64_t>(p, timestamp);
    writeBigEndian<int32_t>(p + 8, relativeOffset);
}

Result<std::unique_ptr<TimeIndex>> TimeIndex::open(std::shared_ptr<FileHandleCache> cache, const std::string &path,
                                                   int64_t baseOffset)
{
    std::unique_ptr<TimeIndex> index(new TimeIndex(std::move(cache), path, baseOffset));
    SKIFF_RETURN_IF_ERROR(index->load());
    return index;
}

Status TimeIndex::maybeAppend(int64_t timestamp, int64_t offset)
{
    if (timestamp <= lastTimestamp())
        return Status::ok();
    return appendEntry({timestamp, static_cast<int32_t>(offset - m_baseOffset)});
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
