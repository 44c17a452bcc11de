#pragma once

#include <QRandomGenerator>

#include <chrono>

namespace skiff::cluster {

// Reconnect delays: 100 ms doubling to a 2 s cap, each drawn uniformly from [d/2, d] so that
// nodes restarted together do not dial each other in lockstep. reset() after a link comes up.
class PeerBackoff {
public:
    static constexpr std::chrono::milliseconds kInitial{100};
    static constexpr std::chrono::milliseconds kCap{2000};

    explicit PeerBackoff(quint32 seed = QRandomGenerator::global()->generate());

    std::chrono::milliseconds nextDelay();
    void reset() { m_current = kInitial; }

private:
    std::chrono::milliseconds m_current = kInitial;
    QRandomGenerator m_random;
};

} // namespace skiff::cluster
