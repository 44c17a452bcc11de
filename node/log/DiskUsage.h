#pragma once
// The file systems a node writes to, as statvfs(3) reports them for the node's user: the data
// directory (partition logs) and, when it is on a file system of its own (a mount or a symlink
// at <data.dir>/metadata), the metadata WAL's directory. One statvfs each: cheap enough for every
// admin status and /metrics scrape; the partition logs' size comes in, computed where the logs
// live (LogManager::totalSizeInBytes), never by walking the directory.

#include "common/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace skiff::log {

struct DiskUsageInfo {
    std::string path;
    std::string role;                // "data", "metadata"
    uint64_t totalBytes = 0;
    uint64_t availableBytes = 0;     // f_bavail: what the node may still write
    uint64_t partitionLogBytes = 0;  // the partition logs in it (0 for the metadata role)
};

// The data directory first. A directory statvfs cannot read is left out (the node reports what
// it can; its logs say why the directory itself fails).
std::vector<DiskUsageInfo> diskUsage(const std::string &dataDir, uint64_t partitionLogBytes);

// Whether `dir`'s file system takes writes again after one failed (a full disk, say): writes
// `bytes` to <dir>/.write-probe, fdatasyncs and removes it. statvfs alone would not tell: reserved
// blocks, quotas and a read-only remount all refuse writes that free space would seem to allow.
inline constexpr const char *kWriteProbeName = ".write-probe";
Status probeWrite(const std::string &dir, size_t bytes);

} // namespace skiff::log
