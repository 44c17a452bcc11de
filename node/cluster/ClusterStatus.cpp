#include "cluster/ClusterStatus.h"

#include "cluster/peer/PeerLinkStatus.h"

namespace skiff::cluster {

void ClusterStatus::setRaft(const raft::RaftStatus &raft)
{
    role = raft.role;
    term = raft.term;
    vote = raft.vote;
    leaderId = raft.leader;
    commit = raft.commit;
    voters = raft.voters;
    learners = raft.learners;
    lastIndex = raft.lastIndex;
    leadTransferee = raft.leadTransferee;
    progress = raft.progress;
}

void ClusterStatus::setLinks(const QList<PeerLinkStatus> &peerLinks)
{
    links.clear();
    for (const PeerLinkStatus &l : peerLinks) {
        Link &link = links.emplace_back();
        link.peer = l.peerId;
        link.address = l.address.toStdString();
        link.state = peerLinkStateName(l.state);
        link.lastError = l.lastError.toStdString();
        link.direction = peerLinkDirectionName(l.direction);
        link.sinceUnixMs = l.since.isValid() ? l.since.toMSecsSinceEpoch() : 0;
        link.bytesSent = l.bytesSent;
        link.bytesReceived = l.bytesReceived;
        link.framesDropped = l.framesDropped;
    }
}

} // namespace skiff::cluster
