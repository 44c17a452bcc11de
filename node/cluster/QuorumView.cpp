#include "cluster/QuorumView.h"

#include <algorithm>

namespace skiff::cluster {
namespace {

int64_t asOffset(uint64_t index)
{
    return int64_t(std::min<uint64_t>(index, uint64_t(INT64_MAX)));
}

metadata::QuorumReplica replicaOf(const ClusterStatus &status, uint64_t id, int64_t nowUnixMs)
{
    metadata::QuorumReplica r;
    r.id = id;
    if (id == status.nodeId) {   // the leader: its own log end, caught up now (as Kafka reports it)
        r.logEndOffset = asOffset(status.lastIndex);
        r.lastFetchUnixMs = nowUnixMs;
        r.lastCaughtUpUnixMs = nowUnixMs;
        return r;
    }
    const auto times = status.replicaTimes.find(id);
    if (times == status.replicaTimes.end())
        return r;   // not heard from this leadership: its match is the leader's guess, not known
    r.lastFetchUnixMs = times->second.lastFetchUnixMs;
    r.lastCaughtUpUnixMs = times->second.lastCaughtUpUnixMs;
    const auto progress = std::find_if(status.progress.begin(), status.progress.end(),
                                       [id](const raft::PeerStatus &p) { return p.id == id; });
    if (progress != status.progress.end())
        r.logEndOffset = asOffset(progress->match);
    return r;
}

void toProto(const metadata::QuorumReplica &r, QuorumReplica &out)
{
    out.set_id(r.id);
    out.set_log_end_offset(r.logEndOffset);
    out.set_last_fetch_unix_ms(r.lastFetchUnixMs);
    out.set_last_caught_up_unix_ms(r.lastCaughtUpUnixMs);
}

metadata::QuorumReplica fromProto(const QuorumReplica &r)
{
    return {r.id(), r.log_end_offset(), r.last_fetch_unix_ms(), r.last_caught_up_unix_ms()};
}

} // namespace

Result<metadata::QuorumDescription> describeQuorum(const ClusterStatus &status, int64_t nowUnixMs)
{
    if (status.role != raft::Role::Leader)
        return unavailable(status.leaderId ? "node " + std::to_string(status.nodeId) + " does not lead the metadata quorum; node " +
                                                 std::to_string(status.leaderId) + " does (term " + std::to_string(status.term) + ")"
                                           : "no metadata leader is known (term " + std::to_string(status.term) + ")");
    metadata::QuorumDescription d;
    d.leaderId = status.nodeId;
    d.term = status.term;
    d.highWatermark = status.commit;
    std::vector<uint64_t> voters = status.voters;
    std::vector<uint64_t> learners = status.learners;
    std::sort(voters.begin(), voters.end());
    std::sort(learners.begin(), learners.end());
    for (uint64_t id : voters)
        d.voters.push_back(replicaOf(status, id, nowUnixMs));
    for (uint64_t id : learners)
        d.observers.push_back(replicaOf(status, id, nowUnixMs));
    return d;
}

QuorumReply toQuorumReply(uint64_t requestId, const Result<metadata::QuorumDescription> &description)
{
    QuorumReply reply;
    reply.set_request_id(requestId);
    if (!description.isOk()) {
        reply.set_error(description.status().message());
        return reply;
    }
    reply.set_leader_id(description->leaderId);
    reply.set_term(description->term);
    reply.set_high_watermark(description->highWatermark);
    for (const auto &r : description->voters)
        toProto(r, *reply.add_voters());
    for (const auto &r : description->observers)
        toProto(r, *reply.add_observers());
    return reply;
}

Result<metadata::QuorumDescription> fromQuorumReply(const QuorumReply &reply)
{
    if (!reply.error().empty())
        return unavailable(reply.error());
    metadata::QuorumDescription d;
    d.leaderId = reply.leader_id();
    d.term = reply.term();
    d.highWatermark = reply.high_watermark();
    for (const auto &r : reply.voters())
        d.voters.push_back(fromProto(r));
    for (const auto &r : reply.observers())
        d.observers.push_back(fromProto(r));
    return d;
}

} // namespace skiff::cluster
