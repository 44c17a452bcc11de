#include "cluster/peer/PeerLinkStatus.h"

namespace skiff::cluster {

const char *peerLinkStateName(PeerLinkState state)
{
    switch (state) {
    case PeerLinkState::Connecting: return "connecting";
    case PeerLinkState::Handshaking: return "handshaking";
    case PeerLinkState::Up: return "up";
    case PeerLinkState::Refused: return "refused";
    case PeerLinkState::Down: return "down";
    }
    return "unknown";
}

const char *peerLinkDirectionName(PeerLinkDirection direction)
{
    return direction == PeerLinkDirection::Outbound ? "outbound" : "inbound";
}

} // namespace skiff::cluster
