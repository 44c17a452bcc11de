#include "cluster/Membership.h"

#include "cluster/ClusterLog.h"

#include <algorithm>

namespace skiff::cluster {

using std::to_string;

namespace {

constexpr int64_t kJoinRetryMs = 1000;

bool contains(const google::protobuf::RepeatedField<uint64_t> &ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// A single-server configuration change; `context` carries an added node's raft address.
raft::ConfChange singleChange(raft::ConfChangeType type, uint64_t node, const std::string &context = {})
{
    raft::ConfChange change;
    auto *c = change.add_changes();
    c->set_type(type);
    c->set_node_id(node);
    change.set_context(context);
    return change;
}

} // namespace

Membership::Membership(const ClusterOptions &options, Hooks hooks)
    : m_self(options.nodeId), m_selfAddress(options.raftHost + ":" + to_string(options.raftPort)),
      m_joinAddress(options.joinAddress), m_initialVoters(options.initialVoters), m_hooks(std::move(hooks))
{
}

raft::ConfState Membership::bootstrap() const
{
    raft::ConfState bootstrap;
    if (!m_joinAddress.empty())
        return bootstrap;
    if (m_initialVoters.empty())
        bootstrap.add_voters(m_self);
    for (const auto &[id, address] : m_initialVoters)
        bootstrap.add_voters(id);
    return bootstrap;
}

bool Membership::isMember(uint64_t node) const
{
    return contains(m_configuration.voters(), node) || contains(m_configuration.learners(), node);
}

bool Membership::isSoleVoter() const
{
    return m_configuration.voters_size() == 1 && m_configuration.voters(0) == m_self
        && m_configuration.learners().empty() && m_configuration.voters_outgoing().empty();
}

std::string Membership::describe() const
{
    auto list = [](const auto &ids) {
        std::string out;
        for (uint64_t id : ids)
            out += (out.empty() ? "" : ",") + to_string(id);
        return out.empty() ? std::string("none") : out;
    };
    std::string out = "voters " + list(m_configuration.voters());
    if (!m_configuration.learners().empty())
        out += ", learners " + list(m_configuration.learners());
    if (!m_configuration.voters_outgoing().empty())
        out += ", outgoing voters " + list(m_configuration.voters_outgoing());
    return out;
}

void Membership::setAddress(uint64_t node, const std::string &address)
{
    m_addresses[node] = address;
    if (node != m_self)
        m_hooks.setPeer(node, address);
}

void Membership::connectPeers()
{
    for (const auto &[id, address] : m_addresses)
        if (id != m_self)
            m_hooks.setPeer(id, address);
    if (!m_joinAddress.empty() && !isMember(m_self)) {
        // The member we were pointed at; its id is not known yet (0 = "whoever answers").
        openJoinLink(m_joinAddress);
        qCInfo(lcCluster, "joining the cluster through %s", m_joinAddress.c_str());
    }
}

void Membership::setConfiguration(const raft::ConfState &configuration)
{
    m_configuration = configuration;
    closeJoinLinkOnceMember();
}

void Membership::openJoinLink(const std::string &address)
{
    m_hooks.setPeer(0, address);
    m_joinLinkOpen = true;
}

void Membership::closeJoinLinkOnceMember()
{
    if (!m_joinLinkOpen || !isMember(m_self))
        return;
    m_hooks.removePeer(0);
    m_joinLinkOpen = false;
}

std::vector<metadata::Command> Membership::applied(const raft::ConfChange &change, const raft::ConfState &next,
                                                   uint64_t index, bool isLeader, const metadata::MetadataImage &image)
{
    std::vector<metadata::Command> proposals;
    m_configuration = next;
    for (const auto &c : change.changes()) {
        const uint64_t id = c.node_id();
        if (c.type() == raft::REMOVE_NODE) {
            qCInfo(lcCluster, "node %llu removed from the cluster", static_cast<unsigned long long>(id));
            if (isLeader && image.broker(id))
                proposals.emplace_back().mutable_remove_broker()->set_broker_id(id);
            if (id == m_self) {
                qCWarning(lcCluster, "this node was removed from the cluster; it no longer votes or receives metadata");
            } else {
                m_addresses.erase(id);
                m_hooks.removePeer(id);
            }
        } else if (!change.context().empty()) {
            setAddress(id, change.context());
        }
    }
    qCInfo(lcCluster, "configuration change in entry %llu applied: %s", static_cast<unsigned long long>(index),
           describe().c_str());
    closeJoinLinkOnceMember();
    return proposals;
}

void Membership::askToJoinIfDue(uint64_t leader, int64_t nowMs)
{
    if (m_joinAddress.empty() || leader != 0 || isMember(m_self) || nowMs - m_lastJoinRequestMs < kJoinRetryMs)
        return;
    m_lastJoinRequestMs = nowMs;
    PeerFrame frame;
    frame.mutable_join_request()->set_node_id(m_self);
    frame.mutable_join_request()->set_raft_address(m_selfAddress);
    m_hooks.send(0, frame);
}

void Membership::onJoinReply(const JoinReply &reply)
{
    if (reply.accepted()) {
        qCInfo(lcCluster, "join accepted by node %llu: catching up as a learner",
               static_cast<unsigned long long>(reply.leader_id()));
    } else if (!reply.leader_raft_address().empty()) {
        qCInfo(lcCluster, "join: asking the leader, node %llu at %s", static_cast<unsigned long long>(reply.leader_id()),
               reply.leader_raft_address().c_str());
        openJoinLink(reply.leader_raft_address());
    } else {
        qCInfo(lcCluster, "join not accepted yet: %s", reply.error().c_str());
    }
}

bool Membership::onJoinRequest(uint64_t from, const JoinRequest &request, uint64_t leader, bool isLeader)
{
    PeerFrame reply;
    JoinReply *r = reply.mutable_join_reply();
    r->set_leader_id(leader);
    if (auto it = m_addresses.find(leader); leader != 0 && it != m_addresses.end())
        r->set_leader_raft_address(it->second);
    auto answer = [&](bool proposed) {
        m_hooks.send(from, reply);
        return proposed;
    };
    if (!isLeader) {
        r->set_error(leader == 0 ? "no leader is known yet" : "this node is not the leader");
        return answer(false);
    }
    const uint64_t id = request.node_id();
    if (isMember(id)) {
        r->set_accepted(true);   // already a member: the learner is catching up (or done)
        return answer(false);
    }
    auto addresses = m_addresses;
    addresses[id] = request.raft_address();
    if (Status s = m_hooks.snapshotForJoiner(addresses); !s.isOk()) {
        r->set_error("the leader could not snapshot its metadata: " + s.message());
        return answer(false);
    }
    if (Status s = m_hooks.proposeConfChange(addLearner(id, request.raft_address())); !s.isOk()) {
        r->set_error("cannot add node " + to_string(id) + " now: " + s.message());
        return answer(false);
    }
    qCInfo(lcCluster, "node %llu at %s asked to join: proposed as a learner", static_cast<unsigned long long>(id),
           request.raft_address().c_str());
    r->set_accepted(true);
    return answer(true);
}

void Membership::promoteCaughtUpLearner(const raft::RaftStatus &status)
{
    for (const raft::PeerStatus &p : status.progress) {
        if (!p.isLearner || p.match < status.commit)
            continue;
        if (m_hooks.proposeConfChange(singleChange(raft::ADD_VOTER, p.id)).isOk())
            qCInfo(lcCluster, "learner %llu caught up (match %llu); proposing it as a voter",
                   static_cast<unsigned long long>(p.id), static_cast<unsigned long long>(p.match));
        break;
    }
}

raft::ConfChange Membership::addLearner(uint64_t node, const std::string &raftAddress)
{
    return singleChange(raft::ADD_LEARNER, node, raftAddress);
}

raft::ConfChange Membership::removal(uint64_t node) { return singleChange(raft::REMOVE_NODE, node); }

} // namespace skiff::cluster
