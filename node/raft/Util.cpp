#include "raft/Util.h"

#include <cstdio>
#include <cstdlib>

namespace skiff::raft {

uint64_t entrySize(const Entry &e)
{
    // Data dominates; the fixed part approximates the encoded header without serialising.
    return e.data().size() + 24;
}

void limitSize(std::vector<Entry> &ents, uint64_t maxSize)
{
    if (ents.empty())
        return;
    uint64_t size = entrySize(ents[0]);
    size_t limit = 1;
    for (; limit < ents.size(); ++limit) {
        size += entrySize(ents[limit]);
        if (size > maxSize)
            break;
    }
    ents.resize(limit);
}

bool needsPersistence(MessageType type)
{
    return type == MSG_APP_RESP || type == MSG_VOTE || type == MSG_VOTE_RESP;
}

bool isLocalMessage(MessageType type)
{
    return type == MSG_HUP || type == MSG_BEAT || type == MSG_UNREACHABLE || type == MSG_SNAP_STATUS ||
           type == MSG_CHECK_QUORUM;
}

bool isResponseMessage(MessageType type)
{
    return type == MSG_APP_RESP || type == MSG_VOTE_RESP || type == MSG_HEARTBEAT_RESP ||
           type == MSG_UNREACHABLE || type == MSG_PRE_VOTE_RESP;
}

MessageType voteResponseType(MessageType voteType)
{
    switch (voteType) {
    case MSG_VOTE: return MSG_VOTE_RESP;
    case MSG_PRE_VOTE: return MSG_PRE_VOTE_RESP;
    default: raftFatal("voteResponseType: not a vote message type " + std::to_string(int(voteType)));
    }
}

namespace {
thread_local bool t_steppingNetworkMessage = false;
}

StepFromNetworkScope::StepFromNetworkScope() : m_previous(t_steppingNetworkMessage) { t_steppingNetworkMessage = true; }
StepFromNetworkScope::~StepFromNetworkScope() { t_steppingNetworkMessage = m_previous; }

void raftFatal(const std::string &message)
{
    if (t_steppingNetworkMessage)
        throw PeerInvariantViolation{message};
    std::fprintf(stderr, "raft: fatal invariant violation: %s\n", message.c_str());
    std::fflush(stderr);
    std::abort();
}

} // namespace skiff::raft
