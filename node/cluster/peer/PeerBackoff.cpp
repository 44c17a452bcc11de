#include "cluster/peer/PeerBackoff.h"

#include <algorithm>

namespace skiff::cluster {

PeerBackoff::PeerBackoff(quint32 seed) : m_random(seed) {}

std::chrono::milliseconds PeerBackoff::nextDelay()
{
    const auto ceiling = m_current;
    m_current = std::min(m_current * 2, kCap);
    const auto half = ceiling.count() / 2;
    return std::chrono::milliseconds(half + qint64(m_random.bounded(quint32(ceiling.count() - half + 1))));
}

} // namespace skiff::cluster
