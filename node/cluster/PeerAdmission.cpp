#include "cluster/PeerAdmission.h"

#include "common/SecretCompare.h"

#include <algorithm>

namespace skiff::cluster {

using std::to_string;

namespace {
bool contains(const google::protobuf::RepeatedField<uint64_t> &ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string list(const google::protobuf::RepeatedField<uint64_t> &ids)
{
    std::string out;
    for (uint64_t id : ids)
        out += (out.empty() ? "" : ",") + to_string(id);
    return out.empty() ? std::string("none") : out;
}
} // namespace

PeerAdmission::PeerAdmission(uint64_t self, std::string joinToken, const raft::ConfState *configuration)
    : m_self(self), m_joinToken(std::move(joinToken)), m_configuration(configuration)
{
}

bool PeerAdmission::knowsConfiguration() const
{
    return !m_configuration->voters().empty() || !m_configuration->learners().empty();
}

bool PeerAdmission::isMember(uint64_t node) const
{
    const raft::ConfState &cs = *m_configuration;
    return node != 0
           && (contains(cs.voters(), node) || contains(cs.learners(), node) || contains(cs.voters_outgoing(), node)
               || contains(cs.learners_next(), node));
}

std::string PeerAdmission::describeMembers() const
{
    std::string out = "voters " + list(m_configuration->voters());
    if (!m_configuration->learners().empty())
        out += ", learners " + list(m_configuration->learners());
    return out;
}

Status PeerAdmission::admitLink(const Hello &hello)
{
    const uint64_t node = hello.from_node();
    if (!knowsConfiguration() || isMember(node))
        return Status::ok();
    const std::string who = "node " + to_string(node) + " is not a member of this cluster (" + describeMembers() + ")";
    if (m_joinToken.empty())
        return failedPrecondition(who + " and no cluster.join.token is set here, so no node joins by --join: add it with "
                                        "'skiffctl add-node " + to_string(node) + " ADDRESS', or set the same "
                                        "cluster.join.token on the members and on it");
    if (hello.join_token().empty())
        return failedPrecondition(who + " and presented no cluster.join.token: start it with --join and this "
                                        "cluster's cluster.join.token, or add it with 'skiffctl add-node'");
    if (!secretEquals(hello.join_token(), m_joinToken))
        return failedPrecondition(who + " and presented a wrong cluster.join.token");
    m_tokenHolders.insert(node);
    return Status::ok();
}

Status PeerAdmission::admitFrame(uint64_t linkNode, const PeerFrame &frame) const
{
    if (frame.has_raft() && frame.raft().from() != linkNode)
        return failedPrecondition("a raft message from node " + to_string(frame.raft().from()) +
                                  " arrived on the link of node " + to_string(linkNode) + "; a node speaks only for itself");
    if (frame.has_join_request() && frame.join_request().node_id() != linkNode)
        return failedPrecondition("a join request for node " + to_string(frame.join_request().node_id()) +
                                  " arrived on the link of node " + to_string(linkNode));
    if (frame.has_broker_heartbeat() && frame.broker_heartbeat().broker_id() != linkNode)
        return failedPrecondition("a heartbeat of broker " + to_string(frame.broker_heartbeat().broker_id()) +
                                  " arrived on the link of node " + to_string(linkNode));
    if (linkNode == 0 && !frame.has_join_reply())
        return failedPrecondition("only a join reply is taken from a member not identified yet");
    if (!knowsConfiguration() || isMember(linkNode) || m_tokenHolders.count(linkNode) || frame.has_join_reply())
        return Status::ok();
    return failedPrecondition("node " + to_string(linkNode) + " is not a member of this cluster (" + describeMembers() +
                              "); its frames are refused");
}

} // namespace skiff::cluster
