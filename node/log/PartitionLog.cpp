#include "log/PartitionLog.h"

#include "log/FileHandle.h"
#include "log/FileHandleCache.h"
#include "log/LogLog.h"
#include "log/LogSegment.h"
#include "log/RecordBatch.h"
#include "sync/ThreadAnnotations.h"
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"

#include <QDateTime>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <unistd.h>
#include <unordered_map>
#include <utility>

namespace skiff::log {

namespace fs = std::filesystem;

namespace {
constexpr const char *kRecoveryPointFile = "recovery-point";
// Kafka's log-start-offset-checkpoint, per partition: where DeleteRecords moved the start.
constexpr const char *kLogStartFile = "log-start-offset";
// Why a segment wholly below that start is deleted (the log line's words).
constexpr const char *kBelowLogStart = "records deleted below the log start";

// One offset in a small file of the partition directory, replaced atomically (a .tmp written and
// fdatasynced, renamed, the directory fsynced): the recovery point and the log-start checkpoint.
Status writeOffsetFile(const std::string &dir, const char *name, int64_t offset)
{
    const std::string tmp = dir + "/" + name + ".tmp";
    const std::string content = std::to_string(offset) + "\n";
    auto f = FileHandle::open(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    if (!f)
        return f.status();
    SKIFF_RETURN_IF_ERROR(f.value()->writeAll(content.data(), content.size(), 0));
    SKIFF_RETURN_IF_ERROR(f.value()->datasync());
    const std::string target = dir + "/" + name;
    if (::rename(tmp.c_str(), target.c_str()) != 0)
        return ioErrorFromErrno("rename " + tmp + " to " + target);
    return syncDirectory(dir);
}

// The offset writeOffsetFile stored; nullopt when the file is absent or holds no offset
// (`unreadable` is then set for the latter, which the caller reports).
std::optional<int64_t> readOffsetFile(const std::string &dir, const char *name, bool &unreadable)
{
    unreadable = false;
    auto f = FileHandle::open(dir + "/" + name, O_RDONLY);
    if (!f)
        return std::nullopt;
    char buf[32] = {};
    auto n = f.value()->readAt(buf, sizeof buf - 1, 0);
    if (!n)
        return std::nullopt;
    int64_t value = 0;
    auto [ptr, err] = std::from_chars(buf, buf + n.value(), value);
    if (err != std::errc() || ptr == buf || *ptr != '\n' || value < 0) {
        unreadable = true;
        return std::nullopt;
    }
    return value;
}
} // namespace

// State shared with the group committer's thread. Kept out of the header (mutex, atomic).
struct PartitionLog::SyncState {
    // Lock "PartitionLog::SyncState::mutex": guards the snapshot fields below; held only to copy
    // or update them, never across I/O.
    sync::TrackedMutex mutex{"PartitionLog::SyncState::mutex"};
    // The active segment's .log while it holds data no fdatasync covered yet (null when clean):
    // holding it keeps the file cache from closing it before the sync that acknowledges the data.
    std::shared_ptr<FileHandle> activeLog GUARDED_BY(mutex);
    int64_t activeBase GUARDED_BY(mutex) = 0;
    std::vector<std::shared_ptr<FileHandle>> rolledUnsynced GUARDED_BY(mutex);
    int64_t writtenEnd GUARDED_BY(mutex) = 0;
    bool dirDirty GUARDED_BY(mutex) = false; // a segment file was created: the directory entry needs an fsync
    bool closed GUARDED_BY(mutex) = false;

    std::atomic<int64_t> durableEnd{0};

    // After a failed fdatasync the page cache state is unknown (a retry may "succeed" without the
    // data reaching disk), so the log fails for good: syncs return the error, appends refuse.
    std::atomic<bool> failed{false};
    std::string failure GUARDED_BY(mutex);

    // Lock "PartitionLog::SyncState::checkpointMutex": serialises recovery-point file writes
    // (committer thread after syncing rolled segments vs. close()).
    sync::TrackedMutex checkpointMutex{"PartitionLog::SyncState::checkpointMutex"};
    int64_t checkpointed GUARDED_BY(checkpointMutex) = -1;

    // Lock "PartitionLog::SyncState::syncSerial": held for a whole sync() so two syncers (the
    // committer and close()) cannot interleave and checkpoint data the other is still syncing.
    // Appends never take it.
    sync::TrackedMutex syncSerial{"PartitionLog::SyncState::syncSerial"};
};

PartitionLog::PartitionLog(std::string dir, const LogConfig &config, std::shared_ptr<FileHandleCache> files)
    : m_dir(std::move(dir)), m_config(config), m_files(std::move(files)), m_epochs(m_dir),
      m_sync(std::make_unique<SyncState>())
{
    if (!m_files)
        m_files = std::make_shared<FileHandleCache>(FileHandleCache::kUnbounded);
}

PartitionLog::~PartitionLog() = default;

Result<std::shared_ptr<PartitionLog>> PartitionLog::open(const std::string &dir, const LogConfig &config,
                                                        std::shared_ptr<FileHandleCache> files)
{
    if (Status s = validateLogConfig(config); !s.isOk())
        return s.withContext("opening partition log " + dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return ioError("create partition directory " + dir + ": " + ec.message());
    std::shared_ptr<PartitionLog> log(new PartitionLog(dir, config, std::move(files)));
    Status s = log->recover();
    if (!s.isOk())
        return s.withContext("opening partition log " + dir);
    return log;
}

int64_t PartitionLog::readRecoveryPoint() const
{
    bool unreadable = false;
    const std::optional<int64_t> value = readOffsetFile(m_dir, kRecoveryPointFile, unreadable);
    if (unreadable)
        qCWarning(lcLog, "ignoring unreadable %s/%s: every batch will be CRC-checked", m_dir.c_str(), kRecoveryPointFile);
    return value.value_or(0);
}

Status PartitionLog::writeRecoveryPoint(int64_t offset, bool onlyIfLower)
{
    sync::TrackedLock lock(m_sync->checkpointMutex);
    if (offset == m_sync->checkpointed || (onlyIfLower && offset > m_sync->checkpointed))
        return Status::ok();
    {
        sync::TrackedLock stateLock(m_sync->mutex);
        if (m_sync->closed)
            return Status::ok(); // closed or removed meanwhile
    }
    SKIFF_RETURN_IF_ERROR(writeOffsetFile(m_dir, kRecoveryPointFile, offset));
    m_sync->checkpointed = offset;
    return Status::ok();
}

int64_t PartitionLog::readLogStartCheckpoint() const
{
    bool unreadable = false;
    const std::optional<int64_t> value = readOffsetFile(m_dir, kLogStartFile, unreadable);
    // Losing it only brings deleted records back into view; nothing acknowledged is lost.
    if (unreadable)
        qCWarning(lcLog, "ignoring unreadable %s/%s: the log starts at its first segment", m_dir.c_str(), kLogStartFile);
    return value.value_or(0);
}

Status PartitionLog::writeLogStartCheckpoint(int64_t offset)
{
    return writeOffsetFile(m_dir, kLogStartFile, offset);
}

void PartitionLog::recoverEpochCache(LeaderEpochCache fromHeaders)
{
    auto loaded = LeaderEpochCache::load(m_dir);
    if (!loaded) {
        qCWarning(lcLog, "%s; rebuilding it from the batch headers", loaded.status().toString().c_str());
    } else if (!loaded->entries().empty()) {
        // The one entry no batch carries: a leader's epoch assigned at the log end before it wrote.
        const LeaderEpochCache::Entry &last = loaded->entries().back();
        auto latest = fromHeaders.latestEpoch();
        if (last.startOffset == m_nextOffset && (!latest || last.epoch > *latest))
            fromHeaders.assignInMemory(last.epoch, last.startOffset);
    }
    const bool rewrite = !loaded || loaded->entries() != fromHeaders.entries();
    if (loaded && rewrite)
        qCInfo(lcLog, "rewriting %s from the batch headers (%zu entries in the file, %zu in the log)",
               fromHeaders.path().c_str(), loaded->entries().size(), fromHeaders.entries().size());
    m_epochs = std::move(fromHeaders);
    if (rewrite) {
        if (Status s = m_epochs.persist(); !s.isOk())
            qCWarning(lcLog, "%s (rebuilt again at the next open)", s.toString().c_str());
    }
}

Status PartitionLog::recover()
{
    std::vector<int64_t> bases;
    std::vector<fs::path> indexFiles;
    std::error_code ec;
    for (fs::directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::directory_entry &entry = *it;
        std::string name = entry.path().filename().string();
        if (name.size() == 24 && name.ends_with(".log")) {
            int64_t base = 0;
            auto [ptr, err] = std::from_chars(name.data(), name.data() + 20, base);
            if (err == std::errc() && ptr == name.data() + 20)
                bases.push_back(base);
        } else if (name.ends_with(".index") || name.ends_with(".timeindex")) {
            indexFiles.push_back(entry.path());
        } else if (name.ends_with(".tmp")) {
            std::error_code ignored; // a leftover of an interrupted recovery-point write
            fs::remove(entry.path(), ignored);
        }
    }
    if (ec)
        return ioError("list " + m_dir + ": " + ec.message());
    std::sort(bases.begin(), bases.end());
    // Index files whose .log is gone (a crash in the middle of a retention delete).
    for (const auto &path : indexFiles) {
        fs::path log = path;
        log.replace_extension(".log");
        std::error_code ignored;
        if (!fs::exists(log, ignored)) {
            qCInfo(lcLog, "deleting orphaned index file %s", path.c_str());
            fs::remove(path, ignored);
        }
    }

    // Batches below the recovery point were fsynced before it was written: only their headers
    // are walked. From it on every batch is CRC-checked.
    int64_t recoveryPoint = readRecoveryPoint();
    {
        // No other thread knows this log yet; the lock costs nothing and keeps the rule uniform.
        sync::TrackedLock lock(m_sync->checkpointMutex);
        m_sync->checkpointed = recoveryPoint;
    }
    bool needSync = false;
    LeaderEpochCache epochsFromHeaders(m_dir);
    for (size_t i = 0; i < bases.size(); ++i) {
        auto seg = LogSegment::openExisting(m_files, m_dir, bases[i]);
        if (!seg)
            return seg.status();
        LogSegment::RecoveryOptions opts;
        opts.isLast = i + 1 == bases.size();
        opts.verifyCrcFromOffset = recoveryPoint;
        opts.indexIntervalBytes = m_config.indexIntervalBytes;
        opts.onBatch = [this, &epochsFromHeaders](const RecordBatchHeader &h) {
            m_producers.applyRecovered(h);
            epochsFromHeaders.assignInMemory(h.partitionLeaderEpoch, h.baseOffset); // -1 (no epoch) is ignored
        };
        if (!m_segments.empty() && bases[i] != m_segments.back()->nextOffset())
            return corruption("segment " + seg.value()->logPath() + " starts at offset " + std::to_string(bases[i]) +
                              " but the previous segment ends at offset " +
                              std::to_string(m_segments.back()->nextOffset()));
        SKIFF_RETURN_IF_ERROR(seg.value()->recover(opts));
        if (seg.value()->nextOffset() > recoveryPoint)
            needSync = true;
        m_segments.push_back(std::move(seg.value()));
    }
    if (m_segments.empty()) {
        auto seg = LogSegment::create(m_files, m_dir, 0);
        if (!seg)
            return seg.status();
        m_segments.push_back(std::move(seg.value()));
        SKIFF_RETURN_IF_ERROR(syncDirectory(m_dir));
    }
    m_nextOffset = m_segments.back()->nextOffset();
    // A start past the end (the tail was lost with an unsynced page cache) is the end: the log
    // never shows deleted records again.
    m_deletedBelow = std::min(readLogStartCheckpoint(), m_nextOffset);
    m_highWatermark = m_nextOffset;
    recoverEpochCache(std::move(epochsFromHeaders));
    if (m_deletedBelow > m_segments.front()->baseOffset()) {
        m_producers.removeBelow(logStartOffset());
        if (Status s = m_epochs.truncateFromStart(logStartOffset()); !s.isOk())
            qCWarning(lcLog, "%s (the next open rebuilds it from the batch headers)", s.toString().c_str());
    }

    // After an unclean shutdown the recovered data may exist only in the page cache: make it
    // durable once so durableEndOffset can start at the log end.
    if (needSync || recoveryPoint > m_nextOffset) {
        for (const auto &seg : m_segments) {
            if (seg->nextOffset() <= recoveryPoint)
                continue;
            auto file = seg->logFile();
            if (!file)
                return file.status();
            SKIFF_RETURN_IF_ERROR(file.value()->datasync());
        }
        SKIFF_RETURN_IF_ERROR(writeRecoveryPoint(m_nextOffset));
    }
    sync::TrackedLock lock(m_sync->mutex);
    m_sync->activeLog.reset();   // everything recovered is durable: nothing to pin
    m_sync->activeBase = m_segments.back()->baseOffset();
    m_sync->writtenEnd = m_nextOffset;
    m_sync->durableEnd.store(m_nextOffset);
    return Status::ok();
}

int64_t PartitionLog::logStartOffset() const
{
    return m_segments.empty() ? m_nextOffset : std::max(m_segments.front()->baseOffset(), m_deletedBelow);
}

int64_t PartitionLog::durableEndOffset() const { return m_sync->durableEnd.load(); }

void PartitionLog::setHighWatermark(int64_t offset)
{
    m_highWatermark = std::clamp(offset, logStartOffset(), m_nextOffset);
}

AppendResult PartitionLog::fail(LogErrc error, const std::string &message) const
{
    AppendResult r;
    r.error = error;
    r.message = "partition " + m_dir + ": " + message;
    r.logStartOffset = logStartOffset();
    return r;
}

Status PartitionLog::checkWritable() const
{
    if (m_closed)
        return failedPrecondition("log is closed");
    if (m_sync->failed.load()) {
        sync::TrackedLock lock(m_sync->mutex);
        return ioError("log failed earlier: " + m_sync->failure);
    }
    return Status::ok();
}

AppendResult PartitionLog::append(std::string records, int64_t nowMs)
{
    return appendAsLeader(std::move(records), m_epochs.latestEpoch().value_or(0), nowMs);
}

AppendResult PartitionLog::appendAsLeader(std::string records, int32_t leaderEpoch, int64_t nowMs)
{
    if (Status s = checkWritable(); !s.isOk())
        return fail(LogErrc::KafkaStorageError, s.message());
    if (auto latest = m_epochs.latestEpoch(); leaderEpoch < 0 || (latest && leaderEpoch < *latest))
        return fail(LogErrc::NotLeaderOrFollower, "a leader append in epoch " + std::to_string(leaderEpoch) +
                                                      ", but the log holds epoch " +
                                                      std::to_string(latest.value_or(-1)) +
                                                      ": this replica is not the current leader");
    ValidatedBatches v = validateBatches(records, m_config.maxMessageBytes);
    if (!v.isOk())
        return fail(v.error, v.message);
    const bool logAppendTime = m_config.timestampType == TimestampType::LogAppendTime;

    // Producer checks against a staged copy, so a multi-batch request is checked as a sequence
    // and nothing changes unless the whole request is appended.
    std::unordered_map<int64_t, ProducerEntry> staged;
    int64_t next = m_nextOffset;
    for (auto &b : v.batches) {
        RecordBatchHeader &h = b.header;
        if (h.hasProducerId() && !h.isControl() && h.baseSequence >= 0) {
            auto st = staged.find(h.producerId);
            const ProducerEntry *entry = st != staged.end() ? &st->second : m_producers.find(h.producerId);
            auto check = ProducerStateTable::check(entry, h.producerId, h.producerEpoch, h.baseSequence, h.lastSequence());
            if (lcProducers().isDebugEnabled())
                qCDebug(lcProducers, "%s: %s", m_dir.c_str(),
                        ProducerStateTable::describe(check, entry, h, next).c_str());
            if (check.verdict == ProducerStateTable::Verdict::Reject)
                return fail(check.error, check.message);
            if (check.verdict == ProducerStateTable::Verdict::Duplicate) {
                AppendResult r;
                r.baseOffset = check.duplicateOf.firstOffset;
                r.lastOffset = check.duplicateOf.lastOffset;
                r.logAppendTimeMs = logAppendTime ? check.duplicateOf.timestamp : -1;
                r.logStartOffset = logStartOffset();
                r.duplicate = true;
                return r;
            }
            ProducerEntry copy = entry ? *entry : ProducerEntry{};
            ProducerStateTable::record(copy, h.producerEpoch,
                                       {h.baseSequence, h.lastSequence(), next, next + h.lastOffsetDelta,
                                        logAppendTime ? nowMs : h.maxTimestamp});
            staged[h.producerId] = std::move(copy);
        }
        // Assign the offsets and the epoch in place: both are outside the CRC.
        char *d = records.data() + b.position;
        setBaseOffset(d, next);
        h.baseOffset = next;
        setPartitionLeaderEpoch(d, leaderEpoch);
        h.partitionLeaderEpoch = leaderEpoch;
        if (logAppendTime) {
            setLogAppendTime(d, h.totalSize(), nowMs);
            h = RecordBatchHeader::parse(d);
        }
        next += h.lastOffsetDelta + 1;
    }

    AppendResult r = writeBatches(records, v.batches, next, nowMs);
    if (!r.isOk())
        return r;
    for (auto &[pid, entry] : staged)
        m_producers.put(pid, std::move(entry));
    assignEpochsOf(v.batches);
    r.logAppendTimeMs = logAppendTime ? nowMs : -1;
    return r;
}

Status PartitionLog::assignLeaderEpoch(int32_t epoch)
{
    if (auto latest = m_epochs.latestEpoch(); latest && epoch < *latest)
        return failedPrecondition("partition " + m_dir + ": cannot lead in epoch " + std::to_string(epoch) +
                                  ", the log already holds epoch " + std::to_string(*latest));
    // In memory only: the file follows with the first append in this epoch, or at close (see
    // LeaderEpochCache.h: nothing depends on it after a crash, and a failover makes a broker
    // leader of thousands of partitions at once, on the thread that serves every client).
    m_epochCheckpointStale = m_epochs.assignInMemory(epoch, m_nextOffset) || m_epochCheckpointStale;
    return Status::ok();
}

AppendResult PartitionLog::appendAsFollower(std::string records)
{
    return appendAsFollower(std::move(records), QDateTime::currentMSecsSinceEpoch());
}

AppendResult PartitionLog::appendAsFollower(std::string records, int64_t nowMs)
{
    if (Status s = checkWritable(); !s.isOk())
        return fail(LogErrc::KafkaStorageError, s.message());
    // No max.message.bytes check: the leader accepted these batches (Kafka skips it as well).
    ValidatedBatches v = validateBatches(records, std::numeric_limits<int32_t>::max());
    if (!v.isOk())
        return fail(v.error, v.message);
    int64_t next = m_nextOffset;
    for (const auto &b : v.batches) {
        if (b.header.baseOffset != next)
            return fail(LogErrc::OffsetOutOfRange,
                        "replicated batch at offset " + std::to_string(b.header.baseOffset) + " where offset " +
                            std::to_string(next) + (next == m_nextOffset ? " (the log end) was expected"
                                                                         : " (contiguous with the batch before) was expected"));
        next = b.header.lastOffset() + 1;
    }
    AppendResult r = writeBatches(records, v.batches, next, nowMs);
    if (!r.isOk())
        return r;
    // The leader checked the sequences; recording them lets this replica deduplicate retries
    // once it leads.
    for (const auto &b : v.batches) {
        if (lcProducers().isDebugEnabled() && b.header.hasProducerId())
            qCDebug(lcProducers, "%s: replicated %s", m_dir.c_str(),
                    ProducerStateTable::describeReplicated(m_producers.find(b.header.producerId), b.header).c_str());
        m_producers.applyRecovered(b.header);
    }
    assignEpochsOf(v.batches);
    return r;
}

void PartitionLog::assignEpochsOf(const std::vector<BatchSpan> &batches)
{
    // After the write: the batch headers are the truth (open rebuilds the cache from them), so a
    // failed checkpoint write only costs a rewrite at the next open.
    bool changed = false;
    for (const auto &b : batches)
        changed = m_epochs.assignInMemory(b.header.partitionLeaderEpoch, b.header.baseOffset) || changed;
    if (!changed)
        return;
    if (Status s = m_epochs.persist(); !s.isOk())
        qCWarning(lcLog, "%s (the next open rebuilds it from the batch headers)", s.toString().c_str());
}

bool PartitionLog::rollDue(int64_t appendBytes, int64_t appendLastOffset, int64_t nowMs) const
{
    const LogSegment &active = *m_segments.back();
    return !active.empty() &&
           (active.size() + appendBytes > m_config.segmentBytes ||
            active.size() + appendBytes > std::numeric_limits<int32_t>::max() ||
            nowMs - active.firstBatchTimeMs() > m_config.segmentMs ||
            appendLastOffset - active.baseOffset() > std::numeric_limits<int32_t>::max());
}

AppendResult PartitionLog::writeBatches(const std::string &records, const std::vector<BatchSpan> &batches,
                                        int64_t nextOffset, int64_t nowMs)
{
    if (rollDue(static_cast<int64_t>(records.size()), nextOffset - 1, nowMs)) {
        if (Status s = roll(nowMs); !s.isOk())
            return fail(LogErrc::KafkaStorageError, s.toString());
    }
    LogSegment *active = m_segments.back().get();
    // Held from before the write until the sync snapshot holds it: in between, index appends may
    // open files through the cache, and this handle must not be the one it closes.
    auto file = active->logFile();
    if (!file)
        return fail(LogErrc::KafkaStorageError, file.status().toString());
    if (Status s = active->append(records, batches, m_config.indexIntervalBytes, nowMs); !s.isOk())
        return fail(LogErrc::KafkaStorageError, s.toString());

    AppendResult r;
    r.baseOffset = m_nextOffset;
    r.lastOffset = nextOffset - 1;
    r.bytes = records.size();
    for (const auto &b : batches)
        r.records += uint64_t(std::max(b.header.recordsCount, 0));
    m_nextOffset = nextOffset;
    r.logStartOffset = logStartOffset();
    sync::TrackedLock lock(m_sync->mutex);
    m_sync->writtenEnd = m_nextOffset;
    m_sync->activeLog = std::move(file.value());   // unsynced now: held until a sync covers it
    return r;
}

Status PartitionLog::roll(int64_t nowMs)
{
    (void)nowMs;
    LogSegment *old = m_segments.back().get();
    SKIFF_RETURN_IF_ERROR(old->onRolled());
    auto seg = LogSegment::create(m_files, m_dir, m_nextOffset);
    if (!seg)
        return seg.status();
    qCDebug(lcLog, "rolled %s: new segment at offset %lld", m_dir.c_str(), static_cast<long long>(m_nextOffset));
    {
        sync::TrackedLock lock(m_sync->mutex);
        // The old segment's unsynced data (if any) is synced by the next sync; the new one is
        // empty until its first append pins it.
        if (m_sync->activeLog)
            m_sync->rolledUnsynced.push_back(std::move(m_sync->activeLog));
        m_sync->activeLog.reset();
        m_sync->activeBase = seg.value()->baseOffset();
        m_sync->dirDirty = true;
    }
    m_segments.push_back(std::move(seg.value()));
    return Status::ok();
}

Status PartitionLog::deleteLastSegment()
{
    LogSegment &last = *m_segments.back();
    {
        sync::TrackedLock lock(m_sync->mutex);
        // An unlinked file needs no sync; the handles only kept it open.
        std::erase_if(m_sync->rolledUnsynced, [&](const auto &f) { return f->path() == last.logPath(); });
        if (m_sync->activeLog && m_sync->activeLog->path() == last.logPath())
            m_sync->activeLog.reset();
    }
    qCInfo(lcLog, "truncation deletes %s (offsets %lld..%lld)", last.logPath().c_str(),
           static_cast<long long>(last.baseOffset()), static_cast<long long>(last.nextOffset() - 1));
    SKIFF_RETURN_IF_ERROR(last.deleteFiles());
    m_segments.pop_back();
    return syncDirectory(m_dir);
}

Status PartitionLog::rebuildProducerState()
{
    m_producers.clear();
    for (const auto &seg : m_segments)
        SKIFF_RETURN_IF_ERROR(seg->forEachBatch(0, [this](int64_t, const RecordBatchHeader &h) {
            m_producers.applyRecovered(h);
            return true;
        }));
    return Status::ok();
}

Status PartitionLog::truncateTo(int64_t offset)
{
    if (Status s = checkWritable(); !s.isOk())
        return s.withContext("truncating partition " + m_dir);
    if (offset < 0)
        return invalidArgument("partition " + m_dir + ": cannot truncate to offset " + std::to_string(offset));
    if (offset >= m_nextOffset) {
        // Nothing to cut, but an epoch this replica assigned as leader at its log end and never
        // wrote in must go: the new leader's log may hold other epochs from there (KIP-279).
        if (Status s = m_epochs.truncateFromEnd(m_nextOffset); !s.isOk())
            qCWarning(lcLog, "%s (the next open rebuilds it from the batch headers)", s.toString().c_str());
        return Status::ok();
    }
    if (offset < logStartOffset())
        return truncateFullyAndStartAt(offset);

    const int64_t oldEnd = m_nextOffset;
    // Like a sync: no fdatasync of this log is in flight while its files are cut, and none
    // starts from a snapshot that still describes the cut data.
    sync::TrackedLock serial(m_sync->syncSerial);
    if (Status s = cutTail(offset); !s.isOk())
        return markFailed(s.withContext("truncating partition " + m_dir + " to offset " + std::to_string(offset)));
    qCInfo(lcLog, "truncated %s to offset %lld (was %lld; asked for %lld)", m_dir.c_str(),
           static_cast<long long>(m_nextOffset), static_cast<long long>(oldEnd), static_cast<long long>(offset));
    if (Status s = m_epochs.truncateFromEnd(m_nextOffset); !s.isOk())
        qCWarning(lcLog, "%s (the next open rebuilds it from the batch headers)", s.toString().c_str());
    return Status::ok();
}

Status PartitionLog::cutTail(int64_t offset)
{
    // Newest first, each deletion durable before the next, so a crash leaves a gapless prefix.
    while (m_segments.size() > 1 && m_segments.back()->baseOffset() > offset)
        SKIFF_RETURN_IF_ERROR(deleteLastSegment());
    LogSegment &last = *m_segments.back();
    SKIFF_RETURN_IF_ERROR(last.truncateTo(offset, m_config.indexIntervalBytes));
    m_nextOffset = last.nextOffset();
    m_highWatermark = std::min(m_highWatermark, m_nextOffset);
    SKIFF_RETURN_IF_ERROR(rebuildProducerState());
    {
        sync::TrackedLock lock(m_sync->mutex);
        m_sync->writtenEnd = m_nextOffset;
        if (m_sync->durableEnd.load() > m_nextOffset)
            m_sync->durableEnd.store(m_nextOffset);
        m_sync->activeBase = last.baseOffset();
        m_sync->activeLog.reset();
    }
    // Earlier segments may still wait for their sync; pin the active file so the next sync
    // covers it and then moves durableEndOffset up to the new end.
    if (durableEndOffset() < m_nextOffset) {
        auto file = last.logFile();
        if (!file)
            return file.status();
        sync::TrackedLock lock(m_sync->mutex);
        m_sync->activeLog = std::move(file.value());
    }
    // Data appended from here on was never synced: a recovery point above it would skip its CRCs.
    return writeRecoveryPoint(m_nextOffset, true);
}

Status PartitionLog::truncateFullyAndStartAt(int64_t offset)
{
    if (Status s = checkWritable(); !s.isOk())
        return s.withContext("emptying partition " + m_dir);
    if (offset < 0)
        return invalidArgument("partition " + m_dir + ": cannot restart the log at offset " + std::to_string(offset));
    sync::TrackedLock serial(m_sync->syncSerial);
    qCInfo(lcLog, "emptying %s (offsets %lld..%lld) to restart it at offset %lld", m_dir.c_str(),
           static_cast<long long>(logStartOffset()), static_cast<long long>(m_nextOffset - 1),
           static_cast<long long>(offset));
    if (Status s = restartAt(offset); !s.isOk())
        return markFailed(s.withContext("emptying partition " + m_dir + " to restart it at offset " + std::to_string(offset)));
    if (Status s = m_epochs.clear(); !s.isOk())
        qCWarning(lcLog, "%s (the next open rebuilds it from the batch headers)", s.toString().c_str());
    return Status::ok();
}

Status PartitionLog::restartAt(int64_t offset)
{
    // A crash in between leaves a gapless prefix or an empty directory, which opens as an empty
    // log at 0: the follower then asks the leader again.
    while (!m_segments.empty())
        SKIFF_RETURN_IF_ERROR(deleteLastSegment());
    auto seg = LogSegment::create(m_files, m_dir, offset);
    if (!seg)
        return seg.status();
    m_segments.push_back(std::move(seg.value()));
    SKIFF_RETURN_IF_ERROR(syncDirectory(m_dir));
    m_nextOffset = offset;
    m_highWatermark = offset;
    m_producers.clear();
    if (m_deletedBelow != 0) {
        // The new first segment is the start; a stale checkpoint above it would hide records.
        SKIFF_RETURN_IF_ERROR(writeLogStartCheckpoint(0));
        m_deletedBelow = 0;
    }
    {
        sync::TrackedLock lock(m_sync->mutex);
        m_sync->activeLog.reset();
        m_sync->rolledUnsynced.clear();
        m_sync->activeBase = offset;
        m_sync->writtenEnd = offset;
        m_sync->dirDirty = false;
        m_sync->durableEnd.store(offset); // an empty log is all durable
    }
    return writeRecoveryPoint(offset);
}

Status PartitionLog::markFailed(Status status)
{
    qCWarning(lcLog, "%s; the partition log is marked failed (KAFKA_STORAGE_ERROR until restart)",
              status.toString().c_str());
    sync::TrackedLock lock(m_sync->mutex);
    m_sync->failure = status.message();
    m_sync->failed.store(true);
    return status;
}

std::pair<int32_t, int64_t> PartitionLog::endOffsetForEpoch(int32_t epoch) const
{
    return m_epochs.endOffsetFor(epoch, m_nextOffset);
}

Result<FetchResult> PartitionLog::read(int64_t fetchOffset, int64_t maxBytes, int64_t upperBoundOffset) const
{
    if (m_closed)
        return failedPrecondition("partition " + m_dir + " is closed");
    FetchResult r;
    r.logStartOffset = logStartOffset();
    r.logEndOffset = m_nextOffset;
    if (fetchOffset < r.logStartOffset || fetchOffset > r.logEndOffset)
        return outOfRange("partition " + m_dir + ": offset " + std::to_string(fetchOffset) + " is outside the log [" +
                          std::to_string(r.logStartOffset) + ", " + std::to_string(r.logEndOffset) + ")");
    if (fetchOffset == r.logEndOffset)
        return r;
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), fetchOffset,
                               [](int64_t o, const std::unique_ptr<LogSegment> &s) { return o < s->baseOffset(); });
    if (it != m_segments.begin())
        --it;
    bool first = true;
    for (; it != m_segments.end(); ++it) {
        const LogSegment &seg = **it;
        int64_t start = 0;
        if (first) {
            auto pos = seg.positionOf(fetchOffset);
            if (!pos)
                return pos.status();
            start = pos.value();
            first = false;
        }
        auto stopped = seg.readBatches(start, maxBytes, upperBoundOffset, r.records);
        if (!stopped)
            return stopped.status();
        if (stopped.value())
            break;
    }
    return r;
}

Result<OffsetAndTimestamp> PartitionLog::offsetForTimestamp(int64_t timestampMs) const
{
    if (m_closed)
        return failedPrecondition("partition " + m_dir + " is closed");
    // Deleted records (below the log start) are not found, as in Kafka.
    const int64_t start = logStartOffset();
    for (const auto &seg : m_segments) {
        if (seg->empty() || seg->maxTimestamp() < timestampMs || seg->nextOffset() <= start)
            continue;
        auto found = seg->findTimestamp(timestampMs, start);
        if (!found)
            return found.status();
        if (found.value())
            return OffsetAndTimestamp{found.value()->offset, found.value()->timestamp};
    }
    return OffsetAndTimestamp{};
}

Result<OffsetAndTimestamp> PartitionLog::maxTimestamp() const
{
    int64_t largest = -1;
    for (const auto &seg : m_segments)
        if (!seg->empty())
            largest = std::max(largest, seg->maxTimestamp());
    if (largest < 0)
        return OffsetAndTimestamp{};
    // The first record stamped with the largest timestamp is the one Kafka reports.
    return offsetForTimestamp(largest);
}

template <class Due>
Result<int> PartitionLog::deleteOldestSegments(Due due)
{
    int64_t total = sizeInBytes();
    int deleted = 0;
    while (m_segments.size() > 1) {
        LogSegment &oldest = *m_segments.front();
        const char *reason = due(oldest, total);
        if (!reason)
            break;
        qCInfo(lcLog, "%s deletes %s (offsets %lld..%lld, %lld bytes)", reason, oldest.logPath().c_str(),
               static_cast<long long>(oldest.baseOffset()), static_cast<long long>(oldest.nextOffset() - 1),
               static_cast<long long>(oldest.size()));
        SKIFF_RETURN_IF_ERROR(oldest.deleteFiles());
        total -= oldest.size();
        m_segments.erase(m_segments.begin());
        ++deleted;
    }
    if (deleted > 0) {
        m_highWatermark = std::max(m_highWatermark, logStartOffset());
        m_producers.removeBelow(logStartOffset());
        if (Status s = m_epochs.truncateFromStart(logStartOffset()); !s.isOk())
            qCWarning(lcLog, "%s (the next open rebuilds it from the batch headers)", s.toString().c_str());
    }
    return deleted;
}

Result<int> PartitionLog::applyRetention(int64_t nowMs)
{
    if (m_closed)
        return 0;
    return deleteOldestSegments([&](const LogSegment &oldest, int64_t total) -> const char * {
        if (m_deletedBelow >= oldest.nextOffset())
            return kBelowLogStart;
        if (m_config.retentionMs >= 0 && nowMs - oldest.maxTimestamp() > m_config.retentionMs)
            return "retention (time)";
        if (m_config.retentionBytes >= 0 && total - oldest.size() >= m_config.retentionBytes)
            return "retention (size)";
        return nullptr;
    });
}

Status PartitionLog::advanceLogStartOffset(int64_t offset)
{
    if (m_closed)
        return failedPrecondition("partition " + m_dir + " is closed");
    if (offset <= logStartOffset())
        return Status::ok();
    if (offset > m_highWatermark)
        return outOfRange("partition " + m_dir + ": cannot delete records below offset " + std::to_string(offset) +
                          ", above the high watermark " + std::to_string(m_highWatermark));
    SKIFF_RETURN_IF_ERROR(writeLogStartCheckpoint(offset));
    qCInfo(lcLog, "%s: log start moves from %lld to %lld (records deleted)", m_dir.c_str(),
           static_cast<long long>(logStartOffset()), static_cast<long long>(offset));
    m_deletedBelow = offset;
    auto deleted = deleteOldestSegments([&](const LogSegment &oldest, int64_t) -> const char * {
        return m_deletedBelow >= oldest.nextOffset() ? kBelowLogStart : nullptr;
    });
    if (!deleted)
        return deleted.status();
    // Without a whole segment gone the producer state and epochs still hold older entries.
    m_producers.removeBelow(logStartOffset());
    if (Status s = m_epochs.truncateFromStart(logStartOffset()); !s.isOk())
        qCWarning(lcLog, "%s (the next open rebuilds it from the batch headers)", s.toString().c_str());
    return Status::ok();
}

Status PartitionLog::updateConfig(const LogConfig &config)
{
    if (Status s = validateLogConfig(config); !s.isOk())
        return s.withContext("partition " + m_dir);
    m_config = config;
    return Status::ok();
}

bool PartitionLog::needsSync() const
{
    sync::TrackedLock lock(m_sync->mutex);
    return !m_sync->rolledUnsynced.empty() || m_sync->dirDirty || m_sync->writtenEnd > m_sync->durableEnd.load();
}

Status PartitionLog::sync(int *fsyncCalls)
{
    sync::TrackedLock serial(m_sync->syncSerial);
    std::shared_ptr<FileHandle> active;
    std::vector<std::shared_ptr<FileHandle>> rolled;
    int64_t end = 0;
    int64_t activeBase = 0;
    bool dirDirty = false;
    {
        sync::TrackedLock lock(m_sync->mutex);
        if (m_sync->failed.load())
            return ioError(m_sync->failure);
        if (m_sync->closed)
            return Status::ok(); // close() synced everything; remove() leaves nothing to sync
        active = m_sync->activeLog;
        rolled.swap(m_sync->rolledUnsynced);
        end = m_sync->writtenEnd;
        activeBase = m_sync->activeBase;
        dirDirty = std::exchange(m_sync->dirDirty, false);
    }
    int calls = 0;
    Status status;
    for (size_t i = 0; i < rolled.size() && status.isOk(); ++i) {
        status = rolled[i]->datasync();
        ++calls;
    }
    if (status.isOk() && dirDirty)
        status = syncDirectory(m_dir);
    if (status.isOk() && active && end > m_sync->durableEnd.load()) {
        status = active->datasync();
        ++calls;
    }
    if (fsyncCalls)
        *fsyncCalls = calls;
    if (!status.isOk()) {
        return markFailed(status.withContext("syncing partition " + m_dir));
    }
    int64_t prev = m_sync->durableEnd.load();
    while (prev < end && !m_sync->durableEnd.compare_exchange_weak(prev, end)) {
    }
    {
        // Nothing written since the snapshot: the handle is clean, the cache may close it. (An
        // append re-pins it together with the new writtenEnd, so a newer write keeps it held.)
        sync::TrackedLock lock(m_sync->mutex);
        if (active && m_sync->activeLog == active && m_sync->writtenEnd == end)
            m_sync->activeLog.reset();
    }
    // Whole segments became durable: move the recovery point to the active segment so the next
    // open skips their CRCs. Not further: after a crash the active segment is verified entirely.
    if (!rolled.empty()) {
        Status s = writeRecoveryPoint(activeBase);
        if (!s.isOk())
            qCWarning(lcLog, "%s", s.toString().c_str()); // only costs extra verification at the next open
    }
    return Status::ok();
}

Status PartitionLog::close()
{
    if (m_closed)
        return Status::ok();
    // Without a successful final sync no recovery point is written: the next open verifies.
    Status status = sync();
    if (status.isOk())
        status = writeRecoveryPoint(m_nextOffset);
    if (status.isOk() && m_epochCheckpointStale)
        status = m_epochs.persist();
    {
        sync::TrackedLock lock(m_sync->mutex);
        m_sync->closed = true;
        m_sync->activeLog.reset();
        m_sync->rolledUnsynced.clear();
    }
    m_closed = true;
    m_segments.clear();
    return status;
}

Status PartitionLog::remove()
{
    {
        sync::TrackedLock lock(m_sync->mutex);
        m_sync->closed = true;
        m_sync->activeLog.reset();
        m_sync->rolledUnsynced.clear();
    }
    m_closed = true;
    m_segments.clear();
    sync::TrackedLock lock(m_sync->checkpointMutex); // no recovery-point write races the deletion
    std::error_code ec;
    fs::remove_all(m_dir, ec);
    if (ec)
        return ioError("delete partition directory " + m_dir + ": " + ec.message());
    return Status::ok();
}

std::vector<int64_t> PartitionLog::segmentBaseOffsets() const
{
    std::vector<int64_t> out;
    for (const auto &s : m_segments)
        out.push_back(s->baseOffset());
    return out;
}

int64_t PartitionLog::sizeInBytes() const
{
    int64_t total = 0;
    for (const auto &s : m_segments)
        total += s->size();
    return total;
}

} // namespace skiff::log
