#include "metadata/MetadataJournal.h"

#include "common/Crc32c.h"
#include "raft.pb.h"

#include <QLoggingCategory>

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcMetadata)

namespace skiff::metadata {
namespace {

constexpr size_t kHeaderSize = 8;
constexpr uint32_t kMaxRecordSize = 64u << 20;

uint32_t readU32(const char *p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;   // little-endian on every machine Skiff targets
}

} // namespace

MetadataJournal::~MetadataJournal()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::vector<raft::Entry>> MetadataJournal::open(const std::string &path)
{
    m_path = path;
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        return ioErrorFromErrno("open metadata journal " + path);
    struct stat st {};
    if (::fstat(m_fd, &st) != 0)
        return ioErrorFromErrno("stat " + path);
    std::string data(static_cast<size_t>(st.st_size), '\0');
    if (!data.empty() && ::pread(m_fd, data.data(), data.size(), 0) != ssize_t(data.size()))
        return ioErrorFromErrno("read " + path);

    std::vector<raft::Entry> entries;
    size_t pos = 0;
    while (pos < data.size()) {
        const size_t left = data.size() - pos;
        bool intact = left >= kHeaderSize;
        uint32_t length = 0;
        if (intact) {
            length = readU32(data.data() + pos);
            intact = length <= kMaxRecordSize && length <= left - kHeaderSize
                     && crc32c(0, data.data() + pos + kHeaderSize, length) == readU32(data.data() + pos + 4);
        }
        raft::Entry entry;
        if (intact)
            intact = entry.ParseFromArray(data.data() + pos + kHeaderSize, int(length));
        if (!intact) {
            // Only a torn tail may be dropped: that is what a crash during append leaves behind.
            // A bad record with a good one after it means the file was damaged.
            for (size_t probe = pos + 1; probe + kHeaderSize <= data.size(); ++probe) {
                const uint32_t l = readU32(data.data() + probe);
                if (l > 0 && l <= data.size() - probe - kHeaderSize
                    && crc32c(0, data.data() + probe + kHeaderSize, l) == readU32(data.data() + probe + 4))
                    return corruption(path + ": damaged record at byte " + std::to_string(pos)
                                      + " followed by intact records; restore the data directory from a replica or backup");
            }
            qCWarning(lcMetadata, "%s: truncating torn tail at byte %zu (%zu bytes)", path.c_str(), pos, left);
            if (::ftruncate(m_fd, off_t(pos)) != 0)
                return ioErrorFromErrno("truncate " + path);
            break;
        }
        if (!entries.empty() && entry.index() != entries.back().index() + 1)
            return corruption(path + ": entry index " + std::to_string(entry.index()) + " at byte " + std::to_string(pos)
                              + " does not follow " + std::to_string(entries.back().index()));
        entries.push_back(std::move(entry));
        pos += kHeaderSize + length;
    }
    if (::lseek(m_fd, 0, SEEK_END) < 0)
        return ioErrorFromErrno("seek " + path);
    return entries;
}

Status MetadataJournal::append(const raft::Entry &entry)
{
    const std::string payload = entry.SerializeAsString();
    std::string record(kHeaderSize, '\0');
    const uint32_t length = uint32_t(payload.size());
    const uint32_t crc = crc32c(payload);
    std::memcpy(record.data(), &length, 4);
    std::memcpy(record.data() + 4, &crc, 4);
    record += payload;
    if (::write(m_fd, record.data(), record.size()) != ssize_t(record.size()))
        return ioErrorFromErrno("append to metadata journal " + m_path);
    if (::fdatasync(m_fd) != 0)
        return ioErrorFromErrno("fdatasync " + m_path);
    return Status::ok();
}

} // namespace skiff::metadata
