#pragma once

#include <QDateTime>
#include <QString>

#include <cstdint>

namespace skiff::cluster {

enum class PeerLinkState {
    Connecting,    // TCP connect in progress
    Handshaking,   // connected, Hello sent (outbound) or awaited (inbound)
    Up,            // handshake done: frames flow
    Refused,       // the handshake was refused (wrong node, cluster or protocol); still retried
    Down,          // not connected; waiting for the next attempt (outbound) or closed (inbound)
};

enum class PeerLinkDirection {
    Outbound,   // we dialled: the link send() uses
    Inbound,    // the peer dialled us: for receiving (and send()'s fallback)
};

const char *peerLinkStateName(PeerLinkState state);
const char *peerLinkDirectionName(PeerLinkDirection direction);

// One row of PeerTransport::linkStatus(): what an operator needs to see why a peer is unreachable.
struct PeerLinkStatus {
    uint64_t peerId = 0;
    QString address;   // host:port dialled (outbound) or the peer's raft address from its Hello (inbound)
    PeerLinkDirection direction = PeerLinkDirection::Outbound;
    PeerLinkState state = PeerLinkState::Down;
    QString lastError;     // why it is not Up (or why it last went down); empty if never failed
    uint64_t connects = 0;   // TCP connections established (outbound) / handshakes accepted (inbound)
    uint64_t bytesSent = 0;
    uint64_t bytesReceived = 0;
    uint64_t framesSent = 0;
    uint64_t framesReceived = 0;
    uint64_t framesDropped = 0;   // send() refused: link down or outbound buffer full
    QDateTime since;   // when `state` was entered
};

} // namespace skiff::cluster
