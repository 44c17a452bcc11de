#include "log/LeaderEpochCache.h"

#include "log/FileHandle.h"
#include "log/LogLog.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <sstream>

namespace skiff::log {

namespace {

constexpr int kVersion = 0;

std::string describe(const std::vector<LeaderEpochCache::Entry> &entries)
{
    std::string out;
    for (const auto &e : entries)
        out += (out.empty() ? "" : ", ") + std::to_string(e.epoch) + "@" + std::to_string(e.startOffset);
    return "[" + out + "]";
}

// Parses one whole line as an integer.
template <typename T>
bool parseNumber(std::string_view text, T &out)
{
    auto [ptr, err] = std::from_chars(text.data(), text.data() + text.size(), out);
    return err == std::errc() && ptr == text.data() + text.size();
}

} // namespace

LeaderEpochCache::LeaderEpochCache(std::string dir) : LeaderEpochCache(std::move(dir), {}) {}

LeaderEpochCache::LeaderEpochCache(std::string dir, std::vector<Entry> entries)
    : m_dir(std::move(dir)), m_path(m_dir + "/" + kFileName), m_entries(std::move(entries))
{
}

Result<LeaderEpochCache> LeaderEpochCache::load(const std::string &dir)
{
    LeaderEpochCache cache(dir);
    int openErrno = 0;
    auto file = FileHandle::open(cache.m_path, O_RDONLY, 0644, &openErrno);
    if (!file) {
        if (openErrno == ENOENT)
            return cache;
        return file.status();
    }
    auto size = file.value()->size();
    if (!size)
        return size.status();
    std::string text(static_cast<size_t>(size.value()), '\0');
    auto n = file.value()->readAt(text.data(), text.size(), 0);
    if (!n)
        return n.status();
    text.resize(n.value());

    auto bad = [&](size_t line, const std::string &what) {
        return corruption("leader epoch checkpoint " + cache.m_path + " line " + std::to_string(line) + ": " + what);
    };
    std::vector<std::string_view> lines;
    for (size_t pos = 0; pos < text.size();) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            return bad(lines.size() + 1, "no newline at the end of the file (torn write?)");
        lines.emplace_back(text.data() + pos, end - pos);
        pos = end + 1;
    }
    int version = -1;
    if (lines.empty() || !parseNumber(lines[0], version) || version != kVersion)
        return bad(1, "version is not " + std::to_string(kVersion));
    size_t count = 0;
    if (lines.size() < 2 || !parseNumber(lines[1], count))
        return bad(2, "no entry count");
    if (lines.size() != count + 2)
        return bad(2, "says " + std::to_string(count) + " entries, the file has " + std::to_string(lines.size() - 2));
    for (size_t i = 2; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        size_t space = line.find(' ');
        Entry e;
        if (space == std::string_view::npos || !parseNumber(line.substr(0, space), e.epoch) ||
            !parseNumber(line.substr(space + 1), e.startOffset) || e.epoch < 0 || e.startOffset < 0)
            return bad(i + 1, "not \"epoch startOffset\" with two non-negative numbers");
        if (!cache.m_entries.empty() &&
            (e.epoch <= cache.m_entries.back().epoch || e.startOffset <= cache.m_entries.back().startOffset))
            return bad(i + 1, "epoch " + std::to_string(e.epoch) + " at offset " + std::to_string(e.startOffset) +
                                  " does not follow epoch " + std::to_string(cache.m_entries.back().epoch) +
                                  " at offset " + std::to_string(cache.m_entries.back().startOffset));
        cache.m_entries.push_back(e);
    }
    return cache;
}

bool LeaderEpochCache::assignInMemory(int32_t epoch, int64_t startOffset)
{
    if (epoch < 0 || startOffset < 0)
        return false;
    if (!m_entries.empty() && m_entries.back().epoch == epoch && m_entries.back().startOffset <= startOffset)
        return false; // once assigned, an epoch keeps its start offset
    std::vector<Entry> removed;
    while (!m_entries.empty() && (m_entries.back().epoch >= epoch || m_entries.back().startOffset >= startOffset)) {
        removed.push_back(m_entries.back());
        m_entries.pop_back();
    }
    // Removing one entry that starts where the new one does is the ordinary case of an epoch
    // that never got a record (KIP-279); anything else means the cache held a stale tail.
    if (removed.size() > 1 || (removed.size() == 1 && removed[0].startOffset != startOffset))
        qCWarning(lcLog, "%s: epoch %d at offset %lld replaces conflicting entries %s", m_path.c_str(), epoch,
                  static_cast<long long>(startOffset), describe(removed).c_str());
    m_entries.push_back({epoch, startOffset});
    return true;
}

Status LeaderEpochCache::assign(int32_t epoch, int64_t startOffset)
{
    if (epoch < 0 || startOffset < 0)
        return invalidArgument(m_path + ": cannot assign leader epoch " + std::to_string(epoch) + " at offset " +
                               std::to_string(startOffset) + " (both must be >= 0)");
    return persistIf(assignInMemory(epoch, startOffset));
}

std::pair<int32_t, int64_t> LeaderEpochCache::endOffsetFor(int32_t epoch, int64_t logEndOffset) const
{
    const std::pair<int32_t, int64_t> undefined{kUndefinedEpoch, kUndefinedEpochOffset};
    if (epoch == kUndefinedEpoch || m_entries.empty())
        return undefined;
    if (m_entries.back().epoch == epoch)
        return {epoch, logEndOffset}; // the epoch being written: it ends at the log end
    auto higher = std::upper_bound(m_entries.begin(), m_entries.end(), epoch,
                                   [](int32_t e, const Entry &entry) { return e < entry.epoch; });
    if (higher == m_entries.end())
        return undefined; // above every epoch this replica knows
    if (higher == m_entries.begin())
        return {epoch, higher->startOffset}; // below every epoch: the data was removed by retention
    return {std::prev(higher)->epoch, higher->startOffset};
}

Status LeaderEpochCache::truncateFromEnd(int64_t endOffset)
{
    bool changed = false;
    while (!m_entries.empty() && m_entries.back().startOffset >= endOffset) {
        m_entries.pop_back();
        changed = true;
    }
    return persistIf(changed);
}

Status LeaderEpochCache::truncateFromStart(int64_t startOffset)
{
    auto firstAbove = std::find_if(m_entries.begin(), m_entries.end(),
                                   [&](const Entry &e) { return e.startOffset > startOffset; });
    if (firstAbove == m_entries.begin())
        return Status::ok();
    Entry covering{std::prev(firstAbove)->epoch, startOffset};
    bool changed = std::prev(firstAbove) != m_entries.begin() || m_entries.front() != covering;
    m_entries.erase(m_entries.begin(), std::prev(firstAbove));
    m_entries.front() = covering;
    return persistIf(changed);
}

Status LeaderEpochCache::clear()
{
    bool changed = !m_entries.empty();
    m_entries.clear();
    return persistIf(changed);
}

std::optional<int32_t> LeaderEpochCache::latestEpoch() const
{
    if (m_entries.empty())
        return std::nullopt;
    return m_entries.back().epoch;
}

int64_t LeaderEpochCache::startOffsetOf(int32_t epoch) const
{
    for (const auto &e : m_entries)
        if (e.epoch == epoch)
            return e.startOffset;
    return -1;
}

std::optional<int32_t> LeaderEpochCache::epochForOffset(int64_t offset) const
{
    std::optional<int32_t> found;
    for (const auto &e : m_entries) {
        if (e.startOffset > offset)
            break;
        found = e.epoch;
    }
    return found;
}

Status LeaderEpochCache::persistIf(bool changed) const
{
    return changed ? persist() : Status::ok();
}

Status LeaderEpochCache::persist() const
{
    std::ostringstream text;
    text << kVersion << '\n' << m_entries.size() << '\n';
    for (const auto &e : m_entries)
        text << e.epoch << ' ' << e.startOffset << '\n';
    const std::string content = text.str();
    const std::string tmp = m_path + ".tmp";
    auto file = FileHandle::open(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    if (!file)
        return file.status().withContext("writing the leader epoch checkpoint");
    SKIFF_RETURN_IF_ERROR(file.value()->writeAll(content.data(), content.size(), 0));
    // Not fsynced (see the header): a failover makes a new leader of thousands of partitions at
    // once, and an fsync each would stall the thread that serves every client for seconds.
    if (::rename(tmp.c_str(), m_path.c_str()) != 0)
        return ioErrorFromErrno("rename " + tmp + " to " + m_path);
    return Status::ok();
}

} // namespace skiff::log
