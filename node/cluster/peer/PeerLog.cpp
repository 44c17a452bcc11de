#include "cluster/peer/PeerLog.h"

Q_LOGGING_CATEGORY(lcPeer, "skiff.peer")
