#include "log/LogManager.h"

#include "common/TopicRules.h"
#include "log/FileHandle.h"
#include "log/FileHandleCache.h"
#include "log/LogLog.h"
#include "log/PartitionLog.h"

#include <charconv>
#include <fcntl.h>
#include <sys/file.h>
#include <filesystem>

namespace skiff::log {

namespace fs = std::filesystem;

LogManager::LogManager(std::string dataDir, LogConfig defaultConfig, std::shared_ptr<FileHandleCache> files)
    : m_dataDir(std::move(dataDir)), m_defaultConfig(defaultConfig), m_files(std::move(files))
{
    if (!m_files)
        m_files = std::make_shared<FileHandleCache>(FileHandleCache::kUnbounded);
}

LogManager::~LogManager() = default;

std::optional<TopicPartition> LogManager::parseDirName(std::string_view name)
{
    auto dash = name.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == name.size())
        return std::nullopt;
    int32_t p = -1;
    const char *first = name.data() + dash + 1;
    const char *last = name.data() + name.size();
    auto [ptr, err] = std::from_chars(first, last, p);
    if (err != std::errc() || ptr != last || p < 0)
        return std::nullopt;
    return TopicPartition{std::string(name.substr(0, dash)), p};
}

std::string LogManager::dirName(const std::string &topic, int32_t partition)
{
    return topic + "-" + std::to_string(partition);
}

Status LogManager::open(const ConfigForTopic &configForTopic, std::vector<std::pair<TopicPartition, Status>> *unopened)
{
    std::error_code ec;
    fs::create_directories(m_dataDir, ec);
    if (ec)
        return ioError("create data directory " + m_dataDir + ": " + ec.message());
    // One process per data directory: two brokers appending to the same files would corrupt them.
    if (!m_lock) {
        auto lock = FileHandle::open(m_dataDir + "/.lock", O_RDWR | O_CREAT);
        if (!lock)
            return lock.status();
        if (::flock(lock.value()->fd(), LOCK_EX | LOCK_NB) != 0)
            return failedPrecondition("data directory " + m_dataDir +
                                      " is locked by another process (another broker using it?)");
        m_lock = lock.value();
    }
    std::vector<std::pair<TopicPartition, std::string>> found;
    for (fs::directory_iterator it(m_dataDir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::directory_entry &entry = *it;
        std::error_code typeError;
        if (!entry.is_directory(typeError))
            continue;
        std::string name = entry.path().filename().string();
        if (name == kMetadataDirName)
            continue;   // the node's metadata log lives beside the partitions
        auto tp = parseDirName(name);
        if (!tp) {
            qCWarning(lcLog, "ignoring %s: not a <topic>-<partition> directory", entry.path().c_str());
            continue;
        }
        found.emplace_back(std::move(*tp), entry.path().string());
    }
    if (ec)
        return ioError("list data directory " + m_dataDir + ": " + ec.message());
    for (auto &[tp, path] : found) {
        if (m_logs.count(tp))
            continue;
        LogConfig config = configForTopic ? configForTopic(tp.topic) : m_defaultConfig;
        auto log = PartitionLog::open(path, config, m_files);
        if (!log) {
            if (unopened && log.status().code() == StatusCode::IoError) {
                unopened->emplace_back(tp, log.status());
                continue;
            }
            return log.status();
        }
        m_logs.emplace(tp, std::move(log.value()));
    }
    qCInfo(lcLog, "opened %zu partition logs under %s", m_logs.size(), m_dataDir.c_str());
    return Status::ok();
}

Result<std::shared_ptr<PartitionLog>> LogManager::createPartition(const std::string &topic, int32_t partition,
                                                                  const LogConfig &config)
{
    TopicPartition tp{topic, partition};
    if (!m_lock)
        return failedPrecondition("LogManager::open() must succeed before creating partitions in " + m_dataDir);
    if (Status s = validateTopicName(topic); !s.isOk())
        return s.withContext("cannot create a log for partition " + std::to_string(partition));
    if (partition < 0)
        return invalidArgument("illegal partition " + std::to_string(partition) + " of topic '" + topic + "'");
    if (m_logs.count(tp))
        return alreadyExists("partition " + dirName(topic, partition) + " already exists in " + m_dataDir);
    std::string dir = m_dataDir + "/" + dirName(topic, partition);
    auto log = PartitionLog::open(dir, config, m_files);
    if (!log)
        return log.status();
    // The new directory entry must survive a crash too.
    SKIFF_RETURN_IF_ERROR(syncDirectory(m_dataDir));
    m_logs.emplace(tp, log.value());
    return log.value();
}

std::shared_ptr<PartitionLog> LogManager::partition(const std::string &topic, int32_t partition) const
{
    auto it = m_logs.find(TopicPartition{topic, partition});
    return it == m_logs.end() ? nullptr : it->second;
}

std::vector<TopicPartition> LogManager::partitions() const
{
    std::vector<TopicPartition> out;
    for (const auto &[tp, log] : m_logs)
        out.push_back(tp);
    return out;
}

int64_t LogManager::totalSizeInBytes() const
{
    int64_t total = 0;
    for (const auto &[tp, log] : m_logs)
        total += log->sizeInBytes();
    return total;
}

Status LogManager::removePartition(const std::string &topic, int32_t partition)
{
    auto it = m_logs.find(TopicPartition{topic, partition});
    if (it == m_logs.end())
        return notFound("partition " + dirName(topic, partition) + " is not open in " + m_dataDir);
    Status s = it->second->remove();
    m_logs.erase(it);
    return s;
}

Status LogManager::removeTopic(const std::string &topic)
{
    Status first;
    for (auto it = m_logs.begin(); it != m_logs.end();) {
        if (it->first.topic != topic) {
            ++it;
            continue;
        }
        Status s = it->second->remove();
        if (!s.isOk() && first.isOk())
            first = s;
        it = m_logs.erase(it);
    }
    if (first.isOk())
        (void)syncDirectory(m_dataDir);
    return first;
}

void LogManager::updateTopicConfig(const std::string &topic, const LogConfig &config)
{
    if (Status s = validateLogConfig(config); !s.isOk()) {
        qCWarning(lcLog, "topic %s keeps its storage config: %s", topic.c_str(), s.toString().c_str());
        return;
    }
    for (auto &[tp, log] : m_logs)
        if (tp.topic == topic)
            (void)log->updateConfig(config); // validated above: cannot fail
}

Result<int> LogManager::applyRetention(int64_t nowMs)
{
    int total = 0;
    Status first;
    for (auto &[tp, log] : m_logs) {
        auto r = log->applyRetention(nowMs);
        if (r)
            total += r.value();
        else if (first.isOk())
            first = r.status();
    }
    if (!first.isOk())
        return first;
    return total;
}

Status LogManager::closeAll()
{
    Status first;
    for (auto &[tp, log] : m_logs) {
        Status s = log->close();
        if (!s.isOk() && first.isOk())
            first = s;
    }
    return first;
}

} // namespace skiff::log
