#pragma once
// Helpers shared by the WAL tests: entry construction, copying a WAL directory, reading the
// record layout of a segment.

#include "wal/SegmentFile.h"
#include "wal/Wal.h"
#include "wal/WalRecord.h"

#include <QTest>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace skiff::wal::test {

inline raft::Entry entry(uint64_t index, uint64_t term, size_t dataBytes = 16)
{
    raft::Entry e;
    e.set_index(index);
    e.set_term(term);
    e.set_type(raft::ENTRY_NORMAL);
    e.set_data(std::string(dataBytes, char('a' + index % 26)));
    return e;
}

inline std::vector<raft::Entry> entries(uint64_t from, uint64_t to, uint64_t term, size_t dataBytes = 16)
{
    std::vector<raft::Entry> out;
    for (uint64_t i = from; i <= to; ++i)
        out.push_back(entry(i, term, dataBytes));
    return out;
}

inline raft::HardState hardState(uint64_t term, uint64_t vote, uint64_t commit)
{
    raft::HardState hs;
    hs.set_term(term);
    hs.set_vote(vote);
    hs.set_commit(commit);
    return hs;
}

inline std::vector<std::string> segmentPaths(const std::string &dir)
{
    std::vector<std::string> out;
    for (const auto &e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".wal")
            out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

inline void copyDir(const std::string &from, const std::string &to)
{
    std::filesystem::remove_all(to);
    std::filesystem::create_directories(to);
    for (const auto &e : std::filesystem::directory_iterator(from))
        std::filesystem::copy_file(e.path(), to + "/" + e.path().filename().string());
}

inline std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void writeFile(const std::string &path, const std::string &bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

struct RecordSpan {
    size_t offset;
    size_t size;
    RecordType type;
};

// Record layout of a (valid) segment file.
inline std::vector<RecordSpan> recordSpans(const std::string &bytes)
{
    std::vector<RecordSpan> out;
    size_t off = 0;
    while (off < bytes.size()) {
        const DecodedRecord r = decodeRecord(bytes, off);
        if (r.outcome != DecodedRecord::Outcome::Ok)
            break;
        out.push_back({off, r.totalBytes, r.type});
        off += r.totalBytes;
    }
    return out;
}

inline std::vector<uint64_t> indexes(const std::vector<raft::Entry> &es)
{
    std::vector<uint64_t> out;
    for (const auto &e : es)
        out.push_back(e.index());
    return out;
}

inline std::vector<uint64_t> range(uint64_t from, uint64_t to)
{
    std::vector<uint64_t> out;
    for (uint64_t i = from; i <= to; ++i)
        out.push_back(i);
    return out;
}

inline std::unique_ptr<Wal> openOrFail(const std::string &dir, WalOptions options = {})
{
    auto r = Wal::open(dir, std::move(options));
    if (!r) {
        qWarning("Wal::open(%s) failed: %s", dir.c_str(), r.status().toString().c_str());
        return nullptr;
    }
    return std::move(*r);
}

} // namespace skiff::wal::test
