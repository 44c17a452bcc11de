#include "cluster/storage/DurableStorage.h"
#include "wal/SegmentFile.h"

#include "common/Crc32c.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#include <unistd.h>
#include <utility>

namespace skiff::cluster {

bool isStorageFull(const Status &status) { return wal::isDiskFull(status); }


namespace {

using std::to_string;

constexpr std::string_view kSnapshotMagic = "SKSNAP1\n";
constexpr size_t kSnapshotHeaderBytes = 8 + 4 + 4;

void putU32(std::string &out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(char((v >> (8 * i)) & 0xFF));
}

uint32_t getU32(std::string_view in, size_t at)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= uint32_t(uint8_t(in[at + i])) << (8 * i);
    return v;
}

// Reads the whole file; exists = false (and ok) if it does not exist.
Status readWholeFile(const std::string &path, std::string &out, bool &exists)
{
    exists = false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return Status::ok();
        return ioErrorFromErrno("opening snapshot file " + path);
    }
    exists = true;
    out.clear();
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            Status st = ioErrorFromErrno("reading snapshot file " + path);
            ::close(fd);
            return st;
        }
        if (n == 0)
            break;
        out.append(buf, size_t(n));
    }
    ::close(fd);
    return Status::ok();
}

Status writeAll(int fd, std::string_view bytes, const std::string &path)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return wal::writeErrorFromErrno("writing " + path);
        }
        bytes.remove_prefix(size_t(n));
    }
    return Status::ok();
}

Status syncDirectory(const std::string &dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ioErrorFromErrno("opening directory " + dir + " to fsync it");
    Status st;
    if (::fsync(fd) != 0)
        st = ioErrorFromErrno("fsync of directory " + dir);
    ::close(fd);
    return st;
}

bool isEmpty(const wal::RecoveredState &r)
{
    return r.entries.empty() && !r.snapshot && r.hardState.term() == 0 && r.hardState.vote() == 0 &&
           r.hardState.commit() == 0;
}

} // namespace

std::string encodeSnapshotFile(const raft::Snapshot &snap)
{
    const std::string payload = snap.SerializeAsString();
    std::string out;
    out.reserve(kSnapshotHeaderBytes + payload.size());
    out.append(kSnapshotMagic);
    putU32(out, uint32_t(payload.size()));
    putU32(out, crc32c(payload));
    out.append(payload);
    return out;
}

Result<raft::Snapshot> decodeSnapshotFile(std::string_view bytes, const std::string &path)
{
    const std::string where = "snapshot file " + path + ": ";
    if (bytes.size() < kSnapshotHeaderBytes)
        return corruption(where + to_string(bytes.size()) + " bytes, shorter than the " +
                          to_string(kSnapshotHeaderBytes) + "-byte header");
    if (bytes.substr(0, kSnapshotMagic.size()) != kSnapshotMagic)
        return corruption(where + "bad magic (not a Skiff snapshot file)");
    const uint32_t length = getU32(bytes, 8);
    const uint32_t crc = getU32(bytes, 12);
    const std::string_view payload = bytes.substr(kSnapshotHeaderBytes);
    if (payload.size() != length)
        return corruption(where + "header says " + to_string(length) + " payload bytes but the file holds " +
                          to_string(payload.size()));
    if (const uint32_t actual = crc32c(payload); actual != crc)
        return corruption(where + "CRC mismatch (stored " + to_string(crc) + ", computed " + to_string(actual) + ")");
    raft::Snapshot snap;
    if (payload.size() > size_t(std::numeric_limits<int>::max()) ||
        !snap.ParseFromArray(payload.data(), int(payload.size())))
        return corruption(where + "payload is not a raft snapshot");
    return snap;
}

DurableStorage::DurableStorage(std::string dir, std::unique_ptr<wal::Wal> wal)
    : m_dir(std::move(dir)), m_snapshotPath(m_dir + "/snapshot"), m_wal(std::move(wal))
{
}

DurableStorage::~DurableStorage() = default;

Result<std::unique_ptr<DurableStorage>> DurableStorage::open(const std::string &dir, const raft::ConfState &bootstrap,
                                                             DurableStorageOptions options)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return ioError("creating raft storage directory " + dir + ": " + ec.message());
    auto wal = wal::Wal::open(dir + "/wal", std::move(options.wal));
    if (!wal)
        return wal.status().withContext("opening raft storage " + dir);
    std::unique_ptr<DurableStorage> s(new DurableStorage(dir, std::move(*wal)));
    wal::RecoveredState recovered = s->m_wal->takeRecovered();
    s->m_tornBytesDropped = recovered.tornBytesDropped;

    // A crash while writing a snapshot leaves its temporary file; the rename never happened.
    std::filesystem::remove(s->m_snapshotPath + ".tmp", ec);

    std::string bytes;
    bool exists = false;
    SKIFF_RETURN_IF_ERROR(readWholeFile(s->m_snapshotPath, bytes, exists));
    if (!exists) {
        if (!isEmpty(recovered))
            return corruption("raft storage " + dir + ": snapshot file " + s->m_snapshotPath +
                              " is missing but the WAL " + dir + "/wal holds records; restore the file or "
                              "remove the whole directory to rejoin as a new member");
        // Brand new: the configuration we start with must survive a restart before any snapshot.
        raft::Snapshot snap;
        *snap.mutable_metadata()->mutable_conf_state() = bootstrap;
        SKIFF_RETURN_IF_ERROR(s->writeSnapshotFile(snap));
        // The directory itself must survive too (its files were fsync'ed into it above).
        const std::filesystem::path parent = std::filesystem::absolute(dir, ec).parent_path();
        if (!ec && !parent.empty())
            SKIFF_RETURN_IF_ERROR(syncDirectory(parent.string()));
        s->m_cache = raft::MemoryStorage(bootstrap);
        return s;
    }
    auto snap = decodeSnapshotFile(bytes, s->m_snapshotPath);
    if (!snap)
        return snap.status().withContext("opening raft storage " + dir);
    SKIFF_RETURN_IF_ERROR(s->recover(*snap, std::move(recovered)));
    return s;
}

Status DurableStorage::recover(const raft::Snapshot &snap, wal::RecoveredState rec)
{
    const uint64_t s = snap.metadata().index();
    const uint64_t sTerm = snap.metadata().term();
    const uint64_t m = rec.snapshot ? rec.snapshot->index() : 0;
    const uint64_t mTerm = rec.snapshot ? rec.snapshot->term() : 0;
    const uint64_t last = rec.entries.empty() ? m : rec.entries.back().index();
    const std::string where = "raft storage " + m_dir + ": ";
    if (m > s)
        return corruption(where + "the WAL's snapshot marker at " + to_string(m) + " is beyond the snapshot file " +
                          m_snapshotPath + " at " + to_string(s) + " (was the snapshot file replaced?)");
    if (!rec.entries.empty() && rec.entries.front().index() != m + 1)
        return internalError(where + "the WAL recovered entries from " + to_string(rec.entries.front().index()) +
                             " after its snapshot marker at " + to_string(m));

    bool keepLog = false;
    if (m == s) {
        if (mTerm != sTerm)
            return corruption(where + "the WAL's snapshot marker at " + to_string(m) + " has term " +
                              to_string(mTerm) + " but the snapshot file " + m_snapshotPath + " has term " +
                              to_string(sTerm));
        keepLog = true;
    } else if (s <= last) {
        keepLog = rec.entries[s - m - 1].term() == sTerm;
    }

    if (keepLog) {
        // The log agrees with the snapshot: the cache starts where the WAL starts (which may be
        // below the snapshot, see snapshotAndCompact) and holds the snapshot.
        raft::Snapshot base;
        base.mutable_metadata()->set_index(m);
        base.mutable_metadata()->set_term(mTerm);
        *base.mutable_metadata()->mutable_conf_state() = snap.metadata().conf_state();
        SKIFF_RETURN_IF_ERROR(m_cache.applySnapshot(m == s ? snap : base));
        SKIFF_RETURN_IF_ERROR(m_cache.append(rec.entries));
        if (m < s) {
            auto created = m_cache.createSnapshot(s, &snap.metadata().conf_state(), snap.data());
            if (!created)
                return created.status().withContext(where + "restoring the snapshot at " + to_string(s));
        }
    } else {
        // A snapshot from the leader was written but its marker was not (a crash in between):
        // finish applySnapshot now. The WAL drops the log that disagrees with it.
        SKIFF_RETURN_IF_ERROR(m_wal->saveSnapshotMarker(snap.metadata()));
        SKIFF_RETURN_IF_ERROR(m_wal->sync());
        SKIFF_RETURN_IF_ERROR(m_cache.applySnapshot(snap));
    }
    raft::HardState hs = rec.hardState;
    if (hs.commit() < s)
        hs.set_commit(s);  // a snapshot covers only committed entries
    m_cache.setHardState(hs);
    return Status::ok();
}

Status DurableStorage::writeSnapshotFile(const raft::Snapshot &snap)
{
    if (snap.ByteSizeLong() > std::numeric_limits<uint32_t>::max())
        return invalidArgument("raft storage " + m_dir + ": snapshot at " + to_string(snap.metadata().index()) +
                               " is " + to_string(snap.ByteSizeLong()) + " bytes; the snapshot file holds at most 4 GiB");
    const std::string bytes = encodeSnapshotFile(snap);
    const std::string tmp = m_snapshotPath + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    // A full disk (Unavailable, isStorageFull) leaves nothing changed: the caller retries the
    // same snapshot once space returns rather than stopping the metadata loop.
    if (fd < 0)
        return wal::writeErrorFromErrno("creating snapshot file " + tmp);
    Status st = writeAll(fd, bytes, tmp);
    if (st.isOk() && ::fdatasync(fd) != 0)
        st = wal::writeErrorFromErrno("fdatasync of snapshot file " + tmp);
    if (::close(fd) != 0 && st.isOk())
        st = wal::writeErrorFromErrno("closing snapshot file " + tmp);
    if (st.isOk() && ::rename(tmp.c_str(), m_snapshotPath.c_str()) != 0)
        st = ioErrorFromErrno("renaming " + tmp + " to " + m_snapshotPath);
    if (!st.isOk()) {
        ::unlink(tmp.c_str());
        return st;
    }
    return syncDirectory(m_dir);
}

Result<raft::InitialState> DurableStorage::initialState() const { return m_cache.initialState(); }

Result<std::vector<raft::Entry>> DurableStorage::entries(uint64_t lo, uint64_t hi, uint64_t maxSize) const
{
    return m_cache.entries(lo, hi, maxSize);
}

Result<uint64_t> DurableStorage::term(uint64_t i) const { return m_cache.term(i); }
Result<uint64_t> DurableStorage::lastIndex() const { return m_cache.lastIndex(); }
Result<uint64_t> DurableStorage::firstIndex() const { return m_cache.firstIndex(); }
Result<raft::Snapshot> DurableStorage::snapshot() const { return m_cache.snapshot(); }

Status DurableStorage::append(const std::vector<raft::Entry> &entries, const raft::HardState *hardState)
{
    SKIFF_RETURN_IF_ERROR(m_wal->append(entries, hardState));
    if (Status st = m_cache.append(entries); !st.isOk())
        return internalError("raft storage " + m_dir + ": the WAL took entries the cache refused: " + st.toString());
    if (hardState)
        m_cache.setHardState(*hardState);
    return Status::ok();
}

Status DurableStorage::sync() { return m_wal->sync(); }

Status DurableStorage::applySnapshot(const raft::Snapshot &snapshot)
{
    const uint64_t index = snapshot.metadata().index();
    const uint64_t current = m_cache.snapshot()->metadata().index();
    if (index < current)
        return failedPrecondition("raft storage " + m_dir + ": snapshot at " + to_string(index) +
                                  " is older than the current one at " + to_string(current));
    SKIFF_RETURN_IF_ERROR(writeSnapshotFile(snapshot));
    // Index 0 is the bootstrap configuration, which the WAL has no marker for.
    if (index > 0)
        SKIFF_RETURN_IF_ERROR(m_wal->saveSnapshotMarker(snapshot.metadata()));
    return m_cache.applySnapshot(snapshot);
}

Status DurableStorage::snapshotAndCompact(uint64_t index, const raft::ConfState &confState, std::string data,
                                          uint64_t keepEntries)
{
    const std::string where = "raft storage " + m_dir + ": ";
    const uint64_t current = m_cache.snapshot()->metadata().index();
    if (index <= current)
        return failedPrecondition(where + "snapshot at " + to_string(index) + " is not newer than the current one at " +
                                  to_string(current));
    auto term = m_cache.term(index);
    if (!term)
        return term.status().withContext(where + "snapshot at " + to_string(index));

    raft::Snapshot snap;
    snap.mutable_metadata()->set_index(index);
    snap.mutable_metadata()->set_term(*term);
    *snap.mutable_metadata()->mutable_conf_state() = confState;
    snap.set_data(std::move(data));
    SKIFF_RETURN_IF_ERROR(writeSnapshotFile(snap));
    auto created = m_cache.createSnapshot(index, &confState, std::move(*snap.mutable_data()));
    if (!created)
        return created.status().withContext(where + "caching the snapshot at " + to_string(index));

    const uint64_t compactTo = index > keepEntries ? index - keepEntries : 0;
    if (compactTo + 1 <= m_wal->firstIndex())
        return Status::ok();  // nothing more to discard
    auto compactTerm = m_cache.term(compactTo);
    if (!compactTerm)
        return compactTerm.status().withContext(where + "compacting to " + to_string(compactTo));
    // The WAL's marker is the compaction point; the snapshot itself is in the file (see header).
    raft::SnapshotMetadata marker;
    marker.set_index(compactTo);
    marker.set_term(*compactTerm);
    *marker.mutable_conf_state() = confState;
    SKIFF_RETURN_IF_ERROR(m_wal->saveSnapshotMarker(marker));
    SKIFF_RETURN_IF_ERROR(m_cache.compact(compactTo));
    return m_wal->compact(compactTo);
}

} // namespace skiff::cluster
