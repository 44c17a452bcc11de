#pragma once
// Whose data directory this is: <data.dir>/meta.properties, as Kafka's, written at first start.
//
// A node started on another node's data directory (copied, or a wrong data.dir) would take that
// node's vote and log as its own: it becomes ready and acknowledges entries, and the real owner
// can no longer catch up. So the node id and cluster id are stamped into the directory the first
// time a node starts on it, and a start with other ids is refused before anything is opened.

#include "common/Status.h"

#include <cstdint>
#include <string>

namespace skiff::core {

struct DataDirIdentity {
    uint64_t nodeId = 0;
    std::string clusterId;
};

// Ok if `dir` is stamped with `expected`, or was not stamped yet and now is (written to a temporary
// file, synced and renamed, so a crash leaves the old state or the new one). FailedPrecondition
// with one line naming both identities on a mismatch; Corruption if the file cannot be read.
Status claimDataDir(const std::string &dir, const DataDirIdentity &expected);

} // namespace skiff::core
