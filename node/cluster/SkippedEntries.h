#pragma once
// Metadata log entries an operator told a node to skip: <data.dir>/metadata/skipped-entries.
//
// The way out of a halted metadata loop. An entry that the state machine refuses stops the loop
// on every node that reaches it, at every restart, since it is committed and replayed. Proposals
// are checked before they enter the log, so this should not happen; should it happen anyway (an
// entry written by an older build, or a bug), `skiffd --metadata-skip-entry INDEX:TERM` records it
// here and the loop treats that entry as applied without effect from then on, saying so in the log
// each time it passes it. The term is part of the key: a different entry at the same index (after
// the log was rewritten by a new leader) is not skipped.
//
// One line per entry: "INDEX TERM"; '#' starts a comment.

#include "common/Status.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>

namespace skiff::cluster {

class SkippedEntries {
public:
    static std::string pathIn(const std::string &dataDir) { return dataDir + "/metadata/skipped-entries"; }

    // A missing file is an empty set; an unreadable or malformed one is Corruption naming the line.
    static Result<SkippedEntries> load(const std::string &path);
    // Appends the entry to the file and fsyncs it.
    static Status add(const std::string &path, uint64_t index, uint64_t term);

    bool contains(uint64_t index, uint64_t term) const { return m_entries.count({index, term}) > 0; }
    bool empty() const { return m_entries.empty(); }

private:
    std::set<std::pair<uint64_t, uint64_t>> m_entries;
};

} // namespace skiff::cluster
