#include "log/DiskUsage.h"

#include "log/LogManager.h"

#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace skiff::log {
namespace {

std::optional<DiskUsageInfo> probe(const std::string &path, const char *role)
{
    struct statvfs fs {};
    if (::statvfs(path.c_str(), &fs) != 0)
        return std::nullopt;
    DiskUsageInfo d;
    d.path = path;
    d.role = role;
    d.totalBytes = uint64_t(fs.f_blocks) * uint64_t(fs.f_frsize);
    d.availableBytes = uint64_t(fs.f_bavail) * uint64_t(fs.f_frsize);
    return d;
}

std::optional<dev_t> deviceOf(const std::string &path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return st.st_dev;
}

} // namespace

std::vector<DiskUsageInfo> diskUsage(const std::string &dataDir, uint64_t partitionLogBytes)
{
    std::vector<DiskUsageInfo> out;
    if (auto data = probe(dataDir, "data")) {
        data->partitionLogBytes = partitionLogBytes;
        out.push_back(std::move(*data));
    }
    // On the data directory's file system its row says it all; on another one it needs its own.
    const std::string metadataDir = dataDir + "/" + kMetadataDirName;
    const auto dataDevice = deviceOf(dataDir);
    const auto metadataDevice = deviceOf(metadataDir);
    if (metadataDevice && dataDevice != metadataDevice)
        if (auto metadata = probe(metadataDir, "metadata"))
            out.push_back(std::move(*metadata));
    return out;
}

Status probeWrite(const std::string &dir, size_t bytes)
{
    const std::string path = dir + "/" + kWriteProbeName;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioErrorFromErrno("creating " + path);
    Status status;
    const std::string zeros(bytes, '\0');
    size_t written = 0;
    while (status.isOk() && written < zeros.size()) {
        const ssize_t n = ::write(fd, zeros.data() + written, zeros.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            status = ioErrorFromErrno("writing " + std::to_string(bytes) + " bytes to " + path);
        else
            written += size_t(n);
    }
    if (status.isOk() && ::fdatasync(fd) != 0)
        status = ioErrorFromErrno("fdatasync " + path);
    ::close(fd);
    ::unlink(path.c_str());
    return status;
}

} // namespace skiff::log
