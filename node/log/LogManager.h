#pragma once
// All partition logs of the node under one data directory: <dataDir>/<topic>-<partition>/.
// Called from the broker's I/O thread only (no internal locking); the PartitionLog pointers it
// hands out may be passed to the GroupCommitter.

#include "common/Status.h"
#include "log/LogConfig.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace skiff::log {

class FileHandle;
class FileHandleCache;
class PartitionLog;

struct TopicPartition {
    std::string topic;
    int32_t partition = 0;
    auto operator<=>(const TopicPartition &) const = default;
};

// The data directory's one non-partition directory: the node's metadata log.
inline constexpr const char *kMetadataDirName = "metadata";

class LogManager {
public:
    using ConfigForTopic = std::function<LogConfig(const std::string &topic)>;

    // Every partition's files are opened through `files` (null: a cache of its own, unbounded).
    LogManager(std::string dataDir, LogConfig defaultConfig, std::shared_ptr<FileHandleCache> files = nullptr);
    ~LogManager();

    // Locks the data directory (FailedPrecondition if another process holds it) and recovers
    // every partition directory found. `configForTopic` (optional) supplies topic
    // overrides; otherwise the default config is used. Stops at the first partition that fails,
    // except that with `unopened` given, a partition failing with an I/O error (permissions, no
    // descriptors or space left: causes that can go away) is listed there and skipped, so the
    // caller can serve the others and retry it. Damaged data (Corruption) always stops.
    Status open(const ConfigForTopic &configForTopic = {},
                std::vector<std::pair<TopicPartition, Status>> *unopened = nullptr);

    // Creates (or, if its directory already holds data, opens) a partition log.
    // AlreadyExists if it is open already.
    Result<std::shared_ptr<PartitionLog>> createPartition(const std::string &topic, int32_t partition,
                                                          const LogConfig &config);
    std::shared_ptr<PartitionLog> partition(const std::string &topic, int32_t partition) const;
    std::vector<TopicPartition> partitions() const;
    // Every open partition log's segment files together (from sizes kept in memory: no file is
    // read or listed).
    int64_t totalSizeInBytes() const;

    // Deletes every partition of `topic` (files and directories).
    Status removeTopic(const std::string &topic);
    Status removePartition(const std::string &topic, int32_t partition);

    // Applies to all open partitions of the topic (next roll / retention run uses it). An
    // invalid config (validateLogConfig) is refused with a qCWarning and changes nothing; callers
    // wanting the error call validateLogConfig first. (void: the broker calls it fire-and-forget.)
    void updateTopicConfig(const std::string &topic, const LogConfig &config);

    // Retention over all partitions; returns the number of segments deleted. Errors are
    // collected (first one returned) but do not stop the other partitions.
    Result<int> applyRetention(int64_t nowMs);

    // Clean shutdown of every partition (stop the GroupCommitter first).
    Status closeAll();

    const std::string &dataDir() const { return m_dataDir; }
    FileHandleCache &files() const { return *m_files; }

    // "<topic>-<partition>" -> parts; splits on the LAST '-' since topics may contain '-'.
    static std::optional<TopicPartition> parseDirName(std::string_view name);
    static std::string dirName(const std::string &topic, int32_t partition);

private:
    std::string m_dataDir;
    LogConfig m_defaultConfig;
    std::shared_ptr<FileHandleCache> m_files;
    std::map<TopicPartition, std::shared_ptr<PartitionLog>> m_logs;
    std::shared_ptr<FileHandle> m_lock; // flock'ed <dataDir>/.lock, held while this object lives
};

} // namespace skiff::log
