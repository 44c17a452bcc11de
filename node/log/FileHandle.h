#pragma once
// An owned POSIX file descriptor. Shared via shared_ptr so a segment roll, a retention delete or
// a close never closes an fd that the group committer is fdatasync-ing on its own thread.

#include "common/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace skiff::log {

class FileHandle {
public:
    // flags as for open(2); O_CLOEXEC is added. `openErrno` (optional) receives errno of a failed
    // open, so a caller can tell "out of file descriptors" (EMFILE, ENFILE) from the rest.
    static Result<std::shared_ptr<FileHandle>> open(const std::string &path, int flags, int mode = 0644,
                                                    int *openErrno = nullptr);
    FileHandle(int fd, std::string path) : m_fd(fd), m_path(std::move(path)) {}
    ~FileHandle();
    FileHandle(const FileHandle &) = delete;
    FileHandle &operator=(const FileHandle &) = delete;

    int fd() const { return m_fd; }
    const std::string &path() const { return m_path; }

    Status writeAll(const char *data, size_t size, int64_t position);
    // Reads up to size bytes; fewer only at end of file. Returns the count read.
    Result<size_t> readAt(char *data, size_t size, int64_t position) const;
    Status truncate(int64_t size);
    Status datasync();
    Result<int64_t> size() const;

private:
    int m_fd = -1;
    std::string m_path;
};

// fsync of a directory so renames/creates/unlinks inside it are durable.
Status syncDirectory(const std::string &dir);

} // namespace skiff::log
