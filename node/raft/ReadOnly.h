#pragma once
// Pending ReadIndex requests on the leader (ReadOnlyOption::Safe): each records the commit index
// at request time and is released once a quorum acknowledged a heartbeat carrying its context,
// proving the leader was still the leader at that moment.

#include "raft/Config.h"
#include "raft/ReadState.h"
#include "raft.pb.h"

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace skiff::raft {

class ReadOnly {
public:
    struct IndexStatus {
        Message request;
        uint64_t index = 0;
        std::set<uint64_t> acks;
    };

    explicit ReadOnly(ReadOnlyOption option) : m_option(option) {}
    ReadOnlyOption option() const { return m_option; }

    void addRequest(uint64_t index, const Message &m);
    // Records an ack for ctx; returns the acks so far, or nullptr if ctx is unknown.
    const std::set<uint64_t> *recvAck(uint64_t id, const std::string &ctx);
    // Releases every request up to and including ctx (earlier ones are confirmed by it too).
    std::vector<IndexStatus> advance(const std::string &ctx);
    std::string lastPendingRequestCtx() const { return m_queue.empty() ? std::string() : m_queue.back(); }

private:
    ReadOnlyOption m_option;
    std::map<std::string, IndexStatus> m_pending;
    std::deque<std::string> m_queue;
};

} // namespace skiff::raft
