#pragma once
// One open segment file (POSIX fd), written and fdatasync'ed by the WAL's owner thread.

#include "common/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace skiff::wal {

// True for the Status create() and writeAt() return when the filesystem is full (ENOSPC,
// EDQUOT): code Unavailable, nothing else about the file is wrong.
bool isDiskFull(const Status &status);
// The Status of a failed write-side call (open with O_CREAT, write, fdatasync, close) from errno:
// Unavailable (isDiskFull) for ENOSPC and EDQUOT, a state that ends once space is freed; an I/O
// error otherwise. Every metadata file writer classifies with this one rule.
Status writeErrorFromErrno(const std::string &what);

class SegmentFile {
public:
    ~SegmentFile();
    SegmentFile(const SegmentFile &) = delete;
    SegmentFile &operator=(const SegmentFile &) = delete;

    static Result<std::shared_ptr<SegmentFile>> create(const std::string &path); // fails if it exists
    static Result<std::shared_ptr<SegmentFile>> openExisting(const std::string &path);

    // pwrite of all bytes at offset (retries short writes and EINTR). Owner thread only.
    Status writeAt(uint64_t offset, std::string_view bytes);
    Status truncate(uint64_t size);
    // fdatasync. Any thread; concurrent with writeAt is fine (POSIX).
    Status datasync();

    const std::string &path() const { return m_path; }

    // "<20-digit index>.wal" and back.
    static std::string fileName(uint64_t index);
    static bool parseFileName(const std::string &name, uint64_t &index);
    static Status syncDirectory(const std::string &dir);
    static Result<std::string> readAll(const std::string &path);

private:
    SegmentFile(int fd, std::string path) : m_fd(fd), m_path(std::move(path)) {}
    int m_fd = -1;
    std::string m_path;
};

} // namespace skiff::wal
