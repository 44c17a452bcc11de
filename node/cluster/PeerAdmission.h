#pragma once
// Who may speak to the metadata quorum through a peer link.
//
// A raft port is reachable by anyone on the network, and until peer links carry TLS the
// handshake proves nothing about who dialled. So: a link is admitted only from a member of the
// configuration (voter, learner, outgoing voter), or from a node that presents the cluster's join
// token (a joiner, or a member this node has not learned of yet because it was down when that
// member was added); and every frame on an admitted link must speak for that link's node only.
// A node that knows no configuration yet (it is joining) has nothing to protect and admits all.
//
// Pure: no sockets, no clock. Lives on the raft thread with the controller that owns it.

#include "cluster.pb.h"
#include "common/Status.h"
#include "raft.pb.h"

#include <cstdint>
#include <set>
#include <string>

namespace skiff::cluster {

class PeerAdmission {
public:
    // `configuration` is the controller's current ConfState; it must outlive this object.
    PeerAdmission(uint64_t self, std::string joinToken, const raft::ConfState *configuration);

    bool isMember(uint64_t node) const;

    // The handshake's last check (after cluster id and protocol version): ok, or a one-line reason.
    Status admitLink(const Hello &hello);

    // Every frame after the handshake, on a link whose Hello said `linkNode` (0: the outbound link
    // a joiner dials before it knows who answers). Ok, or a one-line reason to drop the frame.
    Status admitFrame(uint64_t linkNode, const PeerFrame &frame) const;

private:
    bool knowsConfiguration() const;
    std::string describeMembers() const;

    const uint64_t m_self;
    const std::string m_joinToken;
    const raft::ConfState *m_configuration;
    std::set<uint64_t> m_tokenHolders;   // nodes whose Hello presented the join token
};

} // namespace skiff::cluster
