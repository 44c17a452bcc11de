#pragma once
// The single-node metadata log: typed raft Entries (ENTRY_NORMAL carrying a metadata Command),
// appended to one file and fdatasynced before a command counts as applied. Each record is
// [u32 length][u32 CRC-32C of payload][payload]. This is the one-voter stand-in for the Raft WAL:
// the cluster issue replaces it with the WAL behind the same controller interface.

#include "common/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::raft {
class Entry;
}

namespace skiff::metadata {

class MetadataJournal {
public:
    MetadataJournal() = default;
    ~MetadataJournal();
    MetadataJournal(const MetadataJournal &) = delete;
    MetadataJournal &operator=(const MetadataJournal &) = delete;

    // Opens (creating) the journal and returns every intact entry. A torn tail (a crash during
    // an append) is truncated; a bad record followed by good ones is corruption and refused.
    Result<std::vector<raft::Entry>> open(const std::string &path);
    Status append(const raft::Entry &entry);   // written and fdatasynced when this returns ok

private:
    std::string m_path;
    int m_fd = -1;
};

} // namespace skiff::metadata
