#include "cluster/peer/PeerHandshake.h"

namespace skiff::cluster {
namespace {

std::string build(const std::string &version)
{
    return version.empty() ? std::string("unknown build") : "build " + version;
}

} // namespace

Hello makePeerHello(const PeerIdentity &self, uint64_t toNode)
{
    Hello hello;
    hello.set_protocol_version(kPeerProtocolVersion);
    hello.set_cluster_id(self.clusterId);
    hello.set_from_node(self.nodeId);
    hello.set_to_node(toNode);
    hello.set_from_raft_address(self.raftAddress);
    hello.set_build_version(self.buildVersion);
    hello.set_join_token(self.joinToken);
    return hello;
}

Status checkPeerHello(const PeerIdentity &self, const Hello &hello, const std::string &socketPeer)
{
    const std::string where = hello.from_raft_address().empty() ? socketPeer : hello.from_raft_address();
    const std::string who = "node " + std::to_string(hello.from_node()) + " at " + where;
    const std::string me = std::to_string(self.nodeId);
    // The version first: if it differs, the other fields may not mean what we think they mean.
    if (hello.protocol_version() != kPeerProtocolVersion)
        return failedPrecondition(who + " speaks peer protocol " + std::to_string(hello.protocol_version()) + " (" +
                                  build(hello.build_version()) + "), but this is node " + me +
                                  " speaking peer protocol " + std::to_string(kPeerProtocolVersion) + " (" +
                                  build(self.buildVersion) + "): upgrade one of them");
    if (hello.cluster_id() != self.clusterId)
        return failedPrecondition(who + " is in cluster '" + hello.cluster_id() + "', but this is node " + me +
                                  " of cluster '" + self.clusterId + "': check cluster.id");
    if (hello.from_node() == 0)
        return failedPrecondition("a peer at " + where + " sent a handshake without its node id (0): check its node.id");
    if (hello.from_node() == self.nodeId)
        return failedPrecondition(who + " claims this node's own id " + me +
                                  ": two nodes share an id, or this node dials itself: check node.id and peers");
    if (hello.to_node() != 0 && hello.to_node() != self.nodeId)
        return failedPrecondition(who + " dialled expecting node " + std::to_string(hello.to_node()) +
                                  ", but this is node " + me + ": check its peers config");
    return Status::ok();
}

HelloReply makePeerHelloReply(const PeerIdentity &self, const Status &verdict)
{
    HelloReply reply;
    reply.set_accepted(verdict.isOk());
    reply.set_error(verdict.message());
    reply.set_protocol_version(kPeerProtocolVersion);
    reply.set_cluster_id(self.clusterId);
    reply.set_node_id(self.nodeId);
    reply.set_build_version(self.buildVersion);
    return reply;
}

Status checkPeerHelloReply(const PeerIdentity &self, uint64_t expectedNode, const std::string &dialledAddress,
                           const HelloReply &reply)
{
    const std::string who = dialledAddress + " (node " + std::to_string(reply.node_id()) + ")";
    if (reply.protocol_version() != kPeerProtocolVersion)
        return failedPrecondition(who + " speaks peer protocol " + std::to_string(reply.protocol_version()) + " (" +
                                  build(reply.build_version()) + "), but this node speaks peer protocol " +
                                  std::to_string(kPeerProtocolVersion) + " (" + build(self.buildVersion) +
                                  "): upgrade one of them");
    if (reply.cluster_id() != self.clusterId)
        return failedPrecondition(who + " is in cluster '" + reply.cluster_id() + "', but this node is in cluster '" +
                                  self.clusterId + "': check cluster.id");
    if (expectedNode != 0 && reply.node_id() != expectedNode)
        return failedPrecondition(dialledAddress + " answered as node " + std::to_string(reply.node_id()) +
                                  ", config says node " + std::to_string(expectedNode) + " lives there");
    if (!reply.accepted())
        return failedPrecondition(who + " refused the handshake: " +
                                  (reply.error().empty() ? std::string("no reason given") : reply.error()));
    return Status::ok();
}

} // namespace skiff::cluster
