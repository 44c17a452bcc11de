#pragma once
// The controller's (Raft leader's) view of broker liveness: who heartbeated when, and which
// brokers must be fenced (silent past the session timeout) or unfenced (heartbeating again and
// caught up with the metadata log). It only decides; the controller proposes FenceBroker /
// UnfenceBroker and the change takes effect when applied, on every node alike. Pure logic with
// the clock passed in, so it is tested without waiting. Raft thread only.

#include "metadata/MetadataImage.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace skiff::cluster {

class BrokerLiveness {
public:
    explicit BrokerLiveness(int64_t sessionTimeoutMs);

    // This node just became leader: every broker gets a fresh session from now, since nobody
    // could heartbeat a controller that did not exist yet.
    void becameLeader(int64_t nowMs);

    // A heartbeat from `broker`, answered with `leaderCommit`: remembered, so that the next
    // heartbeat proves (or not) that the broker caught up to it. The caller passes only
    // heartbeats of the incarnation the applied image holds: a new process is heard from once
    // its registration is applied, never in the name of its predecessor.
    void heartbeat(uint64_t broker, const std::string &incarnation, uint64_t appliedIndex, uint64_t leaderCommit,
                   int64_t nowMs);

    struct Decision {
        uint64_t broker = 0;
        std::string incarnation;
        bool fence = false;   // false: unfence
    };
    // What to propose now. A decision is not repeated for retryMs, while its command is in flight.
    std::vector<Decision> check(const metadata::MetadataImage &image, int64_t nowMs);

    int64_t lastHeartbeatMs(uint64_t broker) const;

private:
    struct Session {
        std::string incarnation;
        int64_t lastSeenMs = 0;
        bool answered = false;
        uint64_t answeredCommit = 0;   // the commit index the previous answer carried
        bool caughtUp = false;         // applied, by this heartbeat, what was committed at the previous one
        int64_t decidedAtMs = INT64_MIN / 2;   // last fence/unfence decision (no repeats while in flight)
    };
    const int64_t m_sessionTimeoutMs;
    int64_t m_leaderSinceMs = 0;
    std::map<uint64_t, Session> m_sessions;
};

} // namespace skiff::cluster
