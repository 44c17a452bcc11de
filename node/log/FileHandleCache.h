#pragma once
// A bound on the file descriptors the partition logs hold. Each segment has three files (.log,
// .index, .timeindex); keeping them all open made a node with 6,600 partitions run out of
// descriptors at `ulimit -n 20000`. Now every such file is a CachedFile: opened when first used,
// kept open while it is among the `capacity` most recently used, closed when it falls off the end.
//
// Never closed, whatever the capacity: a FileHandle someone besides the cache still holds. The
// group committer holds the .log handles with unsynced data until an fdatasync covered them
// (closing one first could let a writeback error go unseen by the sync that acknowledges the
// data), and a read holds its handle while it reads. So the number of open files may exceed
// `capacity` by the files in use at that moment; trim() closes the excess once they are released.
//
// One thread: the one that owns the partition logs (the kafka thread), and so every CachedFile of
// one cache. Other threads only use FileHandles they were given, never the cache.

#include "common/Status.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>

namespace skiff::log {

class CachedFile;
class FileHandle;

class FileHandleCache {
public:
    static constexpr size_t kUnbounded = SIZE_MAX;

    // `openGauge` (optional, any thread may read it) follows openCount(). A capacity of 0 counts as 1.
    explicit FileHandleCache(size_t capacity, std::atomic<int64_t> *openGauge = nullptr);
    ~FileHandleCache();
    FileHandleCache(const FileHandleCache &) = delete;
    FileHandleCache &operator=(const FileHandleCache &) = delete;

    // The capacity skiffd uses when log.max.open.files is not set: half of the process's
    // open-file limit, so the other half is left for client connections, peer links, the
    // metadata WAL and short-lived files (directory fsyncs, recovery points); at least 16.
    static size_t capacityForFileLimit(uint64_t softLimit);

    size_t capacity() const { return m_capacity; }
    size_t openCount() const { return m_lru.size(); }
    uint64_t opens() const { return m_opens; }          // files opened through the cache so far
    uint64_t evictions() const { return m_evictions; }  // files closed to stay within capacity

    // Closes least recently used files nobody else holds until at most `capacity` are open
    // (or none of the rest can be closed). Cheap when within capacity.
    void trim() { shrinkTo(m_capacity, nullptr); }
    // Replaces the gauge (nullptr: none), e.g. before the gauge's owner goes while logs that hold
    // this cache may still be around.
    void setOpenGauge(std::atomic<int64_t> *openGauge);

private:
    friend class CachedFile;
    using Position = std::list<const CachedFile *>::iterator;

    Result<std::shared_ptr<FileHandle>> open(const CachedFile &file, int flags);
    void touch(const CachedFile &file);
    void forget(const CachedFile &file);
    // Closes evictable files from the least recently used end until `target` remain; `keep` is
    // never closed (the file being opened).
    void shrinkTo(size_t target, const CachedFile *keep);
    void publish();

    const size_t m_capacity;
    std::atomic<int64_t> *m_openGauge;
    std::list<const CachedFile *> m_lru;   // open files, most recently used first
    uint64_t m_opens = 0;
    uint64_t m_evictions = 0;
};

// One file of a segment, open only while the cache keeps it. Holds the cache alive.
class CachedFile {
public:
    CachedFile(std::shared_ptr<FileHandleCache> cache, std::string path);
    ~CachedFile();   // closes the file unless someone else still holds its handle
    CachedFile(const CachedFile &) = delete;
    CachedFile &operator=(const CachedFile &) = delete;

    // Opens the file, creating it if missing and emptying it when `truncate`.
    Result<std::shared_ptr<FileHandle>> create(bool truncate);
    // The file's handle, opened again (read-write, never created: a file that vanished is an
    // error, not an empty file) if the cache closed it. Marks it most recently used. Keep the
    // returned reference for as long as the handle is used; that keeps it open.
    Result<std::shared_ptr<FileHandle>> get() const;

    const std::string &path() const { return m_path; }
    bool isOpen() const { return m_handle != nullptr; }

private:
    friend class FileHandleCache;
    std::shared_ptr<FileHandleCache> m_cache;
    std::string m_path;
    // Opening and closing do not change what the file holds, so both work on a const file.
    mutable std::shared_ptr<FileHandle> m_handle;   // set while open (and then in the cache's list)
    mutable FileHandleCache::Position m_position;
};

} // namespace skiff::log
