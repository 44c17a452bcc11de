#include "log/FileHandleCache.h"

#include "log/FileHandle.h"
#include "log/LogLog.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>

namespace skiff::log {

FileHandleCache::FileHandleCache(size_t capacity, std::atomic<int64_t> *openGauge)
    : m_capacity(std::max<size_t>(capacity, 1)), m_openGauge(openGauge)
{
    publish();
}

FileHandleCache::~FileHandleCache() = default;   // every CachedFile holds the cache: none is left

size_t FileHandleCache::capacityForFileLimit(uint64_t softLimit)
{
    constexpr uint64_t kLargest = 1u << 20;   // RLIM_INFINITY and friends: still a number
    return size_t(std::max<uint64_t>(16, std::min(softLimit, kLargest) / 2));
}

void FileHandleCache::setOpenGauge(std::atomic<int64_t> *openGauge)
{
    m_openGauge = openGauge;
    publish();
}

Result<std::shared_ptr<FileHandle>> FileHandleCache::open(const CachedFile &file, int flags)
{
    if (file.m_handle) {
        touch(file);
        return file.m_handle;
    }
    // Room first, so that a full cache never takes one descriptor more than its capacity.
    shrinkTo(m_capacity - 1, &file);
    int openErrno = 0;
    auto handle = FileHandle::open(file.m_path, flags, 0644, &openErrno);
    if (!handle && (openErrno == EMFILE || openErrno == ENFILE) && !m_lru.empty()) {
        // The process (or system) is out of descriptors, used elsewhere (client connections):
        // give back half of what the cache holds and try once more.
        const size_t before = m_lru.size();
        shrinkTo(before / 2, &file);
        if (m_lru.size() < before) {
            qCWarning(lcLog, "out of file descriptors opening %s: closed %zu cached log file(s) and retried",
                      file.m_path.c_str(), before - m_lru.size());
            handle = FileHandle::open(file.m_path, flags, 0644);
        }
    }
    if (!handle)
        return handle.status();
    file.m_handle = handle.value();
    m_lru.push_front(&file);
    file.m_position = m_lru.begin();
    ++m_opens;
    publish();
    return handle;
}

void FileHandleCache::touch(const CachedFile &file)
{
    m_lru.splice(m_lru.begin(), m_lru, file.m_position);
}

void FileHandleCache::forget(const CachedFile &file)
{
    if (!file.m_handle)
        return;
    m_lru.erase(file.m_position);
    file.m_handle.reset();
    publish();
}

void FileHandleCache::shrinkTo(size_t target, const CachedFile *keep)
{
    if (m_lru.size() <= target)
        return;
    auto it = m_lru.end();
    while (m_lru.size() > target && it != m_lru.begin()) {
        --it;
        const CachedFile *f = *it;
        // use_count() > 1: another holder (unsynced data, a read) keeps it open. Only this thread
        // hands out copies, so a count of 1 cannot grow behind our back.
        if (f == keep || f->m_handle.use_count() > 1)
            continue;
        f->m_handle.reset();
        it = m_lru.erase(it);
        ++m_evictions;
    }
    publish();
}

void FileHandleCache::publish()
{
    if (m_openGauge)
        m_openGauge->store(int64_t(m_lru.size()), std::memory_order_relaxed);
}

CachedFile::CachedFile(std::shared_ptr<FileHandleCache> cache, std::string path)
    : m_cache(std::move(cache)), m_path(std::move(path))
{
}

CachedFile::~CachedFile()
{
    m_cache->forget(*this);
}

Result<std::shared_ptr<FileHandle>> CachedFile::create(bool truncate)
{
    auto handle = m_cache->open(*this, O_RDWR | O_CREAT);
    if (handle && truncate)
        SKIFF_RETURN_IF_ERROR(handle.value()->truncate(0));
    return handle;
}

Result<std::shared_ptr<FileHandle>> CachedFile::get() const
{
    return m_cache->open(*this, O_RDWR);
}

} // namespace skiff::log
