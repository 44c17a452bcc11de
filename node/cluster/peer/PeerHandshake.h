#pragma once
// The checks each side of a peer link makes on the other's handshake. Pure functions, so the
// exact refusal lines are testable without sockets. A refusal is a FailedPrecondition whose
// message is the one line both logs print: it names what was expected and what answered.

#include "cluster.pb.h"
#include "cluster/peer/PeerIdentity.h"
#include "common/Status.h"

#include <cstdint>
#include <string>

namespace skiff::cluster {

// Bumped when a change to cluster.proto or the framing is not understood by older nodes.
inline constexpr uint32_t kPeerProtocolVersion = 1;

// What the dialler sends first. toNode is the id the config says lives at the dialled address;
// 0 = unknown (a --join dialling a member it only knows by address).
Hello makePeerHello(const PeerIdentity &self, uint64_t toNode);

// Listener side. `socketPeer` (ip:port of the TCP peer) names the dialler when its Hello carries
// no raft address.
Status checkPeerHello(const PeerIdentity &self, const Hello &hello, const std::string &socketPeer);

// The listener's answer; `verdict` is what checkPeerHello returned.
HelloReply makePeerHelloReply(const PeerIdentity &self, const Status &verdict);

// Dialler side: `expectedNode` is the Hello's to_node, `dialledAddress` the host:port dialled.
// Checks the reply itself rather than trusting `accepted`, so the dialler's line says what it
// found (e.g. "answered as node 1, config says node 2 lives there").
Status checkPeerHelloReply(const PeerIdentity &self, uint64_t expectedNode, const std::string &dialledAddress,
                           const HelloReply &reply);

} // namespace skiff::cluster
