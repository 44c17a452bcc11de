#include "wal/SegmentFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace skiff::wal {

// A full filesystem is a state the operator (or a cleanup) ends, not a broken WAL: the caller
// may retry once space returns. Every other error is an I/O error.
Status writeErrorFromErrno(const std::string &what)
{
    const int err = errno;
    if (err == ENOSPC || err == EDQUOT)
        return unavailable(what + ": " + std::strerror(err) + " (retried once space is freed)");
    return ioError(what + ": " + std::strerror(err));
}

bool isDiskFull(const Status &status) { return status.code() == StatusCode::Unavailable; }

SegmentFile::~SegmentFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::shared_ptr<SegmentFile>> SegmentFile::create(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return writeErrorFromErrno("creating WAL segment " + path);
    return std::shared_ptr<SegmentFile>(new SegmentFile(fd, path));
}

Result<std::shared_ptr<SegmentFile>> SegmentFile::openExisting(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return ioErrorFromErrno("opening WAL segment " + path);
    return std::shared_ptr<SegmentFile>(new SegmentFile(fd, path));
}

Status SegmentFile::writeAt(uint64_t offset, std::string_view bytes)
{
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pwrite(m_fd, bytes.data() + done, bytes.size() - done, off_t(offset + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return writeErrorFromErrno("writing WAL segment " + m_path + " at offset " + std::to_string(offset + done));
        }
        done += size_t(n);
    }
    return Status::ok();
}

Status SegmentFile::truncate(uint64_t size)
{
    if (::ftruncate(m_fd, off_t(size)) != 0)
        return ioErrorFromErrno("truncating WAL segment " + m_path + " to " + std::to_string(size) + " bytes");
    return Status::ok();
}

Status SegmentFile::datasync()
{
    if (::fdatasync(m_fd) != 0)
        return ioErrorFromErrno("fdatasync of WAL segment " + m_path);
    return Status::ok();
}

std::string SegmentFile::fileName(uint64_t index)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%020llu.wal", static_cast<unsigned long long>(index));
    return buf;
}

bool SegmentFile::parseFileName(const std::string &name, uint64_t &index)
{
    if (name.size() != 24 || name.compare(20, 4, ".wal") != 0)
        return false;
    uint64_t v = 0;
    for (int i = 0; i < 20; ++i) {
        const char c = name[size_t(i)];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + uint64_t(c - '0');
    }
    index = v;
    return true;
}

Status SegmentFile::syncDirectory(const std::string &dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ioErrorFromErrno("opening WAL directory " + dir);
    Status st;
    if (::fsync(fd) != 0)
        st = ioErrorFromErrno("fsync of WAL directory " + dir);
    ::close(fd);
    return st;
}

Result<std::string> SegmentFile::readAll(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ioErrorFromErrno("opening WAL segment " + path);
    std::string data;
    struct stat st {};
    if (::fstat(fd, &st) == 0)
        data.reserve(size_t(st.st_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            Status s = ioErrorFromErrno("reading WAL segment " + path + " at offset " + std::to_string(data.size()));
            ::close(fd);
            return s;
        }
        if (n == 0)
            break;
        data.append(buf, size_t(n));
    }
    ::close(fd);
    return data;
}

} // namespace skiff::wal
