#pragma once
// Linearizable reads (ReadIndex) of this node that wait to be served. Each read gets a unique
// context; once the leader confirmed the commit index for it (a ReadState) and this node has
// applied up to that index, the caller gets the published image. A read not served within its
// deadline is answered Unavailable: never lost silently. Raft thread only (see ProposalTracker,
// its sibling for writes).

#include "common/Status.h"
#include "metadata/MetadataImage.h"
#include "raft/ReadState.h"

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace skiff::cluster {

class ReadTracker {
public:
    using Done = std::function<void(Status, metadata::ImagePtr)>;

    explicit ReadTracker(std::string contextPrefix) : m_prefix(std::move(contextPrefix)) {}

    // A fresh context for RawNode::readIndex.
    std::string nextContext() { return m_prefix + "/" + std::to_string(m_nextId++); }
    void add(const std::string &context, QPointer<QObject> receiver, Done done, int64_t deadlineMs);
    // Records the confirmed indexes of `states`, then answers every read whose index is applied.
    void serve(const std::vector<raft::ReadState> &states, uint64_t applied, const metadata::ImagePtr &image);
    // Answers every read whose deadline passed.
    void expire(int64_t nowMs);
    size_t pending() const { return m_reads.size(); }

private:
    struct Pending {
        QPointer<QObject> receiver;
        Done done;
        int64_t deadlineMs = 0;
        uint64_t index = 0;   // 0 until the leader confirmed it
    };
    const std::string m_prefix;
    uint64_t m_nextId = 1;
    std::map<std::string, Pending> m_reads;   // by ReadIndex context
};

} // namespace skiff::cluster
