#include "log/FileHandle.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace skiff::log {

Result<std::shared_ptr<FileHandle>> FileHandle::open(const std::string &path, int flags, int mode, int *openErrno)
{
    int fd;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        if (openErrno)
            *openErrno = errno;
        return ioErrorFromErrno("open " + path);
    }
    return std::make_shared<FileHandle>(fd, path);
}

FileHandle::~FileHandle()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status FileHandle::writeAll(const char *data, size_t size, int64_t position)
{
    while (size > 0) {
        ssize_t n = ::pwrite(m_fd, data, size, position);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ioErrorFromErrno("write " + m_path + " at byte " + std::to_string(position));
        }
        data += n;
        size -= static_cast<size_t>(n);
        position += n;
    }
    return Status::ok();
}

Result<size_t> FileHandle::readAt(char *data, size_t size, int64_t position) const
{
    size_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(m_fd, data + done, size - done, position + static_cast<int64_t>(done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ioErrorFromErrno("read " + m_path + " at byte " + std::to_string(position + static_cast<int64_t>(done)));
        }
        if (n == 0)
            break;
        done += static_cast<size_t>(n);
    }
    return done;
}

Status FileHandle::truncate(int64_t size)
{
    if (::ftruncate(m_fd, size) != 0)
        return ioErrorFromErrno("truncate " + m_path + " to " + std::to_string(size) + " bytes");
    return Status::ok();
}

Status FileHandle::datasync()
{
    if (::fdatasync(m_fd) != 0)
        return ioErrorFromErrno("fdatasync " + m_path);
    return Status::ok();
}

Result<int64_t> FileHandle::size() const
{
    struct stat st {};
    if (::fstat(m_fd, &st) != 0)
        return ioErrorFromErrno("stat " + m_path);
    return static_cast<int64_t>(st.st_size);
}

Status syncDirectory(const std::string &dir)
{
    auto f = FileHandle::open(dir, O_RDONLY | O_DIRECTORY);
    if (!f)
        return f.status();
    if (::fsync(f.value()->fd()) != 0)
        return ioErrorFromErrno("fsync directory " + dir);
    return Status::ok();
}

} // namespace skiff::log
