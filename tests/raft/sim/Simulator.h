#pragma once
// Deterministic randomized simulation of a Raft cluster: N RawNodes, a SimNetwork (drop, delay,
// duplicate, reorder, symmetric and asymmetric partitions), a simulated clock, crash-restart
// that keeps only what a node persisted via Ready, log compaction with snapshots, and a client.
// Invariants are checked after every round; a schedule ends with a heal phase that must reach a
// single leader and commit every proposal the client saw accepted. One seed = one schedule,
// replayed identically (same trace, same hash).

#include "SimNetwork.h"

#include "raft/MemoryStorage.h"
#include "raft/RawNode.h"
#include "raft/Rng.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace skiff::raft::sim {

struct SimResult {
    bool ok = true;
    std::string failure;     // what broke, at which round
    uint64_t rounds = 0;
    uint64_t traceHash = 0;  // FNV-1a over every event: equal hashes = identical replays
    uint64_t committed = 0;  // highest committed index reached
    uint64_t crashes = 0;
    uint64_t snapshotsSent = 0;
    uint64_t confChanges = 0;  // membership changes applied (by any node)
    uint64_t reads = 0;        // linearizable reads completed and checked
    uint64_t transfers = 0;    // leadership transfers requested
    std::string trace;       // the event log, when tracing is on
};

class Simulator {
public:
    explicit Simulator(uint64_t seed, bool trace = false);
    ~Simulator();
    SimResult run();

private:
    struct Node;

    void round(bool chaos);
    void chaosEvent();
    void clientPropose(bool retryMissing);
    void deliver(const Message &m);
    void handleReady(uint64_t id, bool allowCrash);
    void sendOut(const Message &m);
    void apply(uint64_t id, const Entry &e);
    void restoreSnapshot(uint64_t id, const Snapshot &snap);
    void crash(uint64_t id);
    void restart(uint64_t id);
    void compact(uint64_t id);
    void changeMembership(bool healing);
    void requestRead(uint64_t id);
    void recordVote(uint64_t voter, uint64_t term, uint64_t candidate);
    void checkInvariants();
    bool converged();
    uint64_t knownLeader() const;
    void fail(const std::string &what);
    void ev(char kind, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0, uint64_t d = 0);
    std::unique_ptr<RawNode> makeRawNode(uint64_t id);

    uint64_t m_seed;
    Rng m_rng;
    SimNetwork m_net;
    bool m_tracing;
    uint64_t m_now = 0;
    std::vector<uint64_t> m_ids;
    std::map<uint64_t, std::unique_ptr<Node>> m_nodes;
    // Schedule parameters drawn from the seed.
    bool m_preVote = true;
    bool m_checkQuorum = true;
    size_t m_maxInflight = 256;
    uint64_t m_maxMsgSize = 1 << 20;
    // Global history for the invariants.
    std::map<uint64_t, uint64_t> m_leaderOfTerm;
    std::map<std::pair<uint64_t, uint64_t>, uint64_t> m_votes;  // (voter, term) -> candidate
    std::map<uint64_t, std::pair<uint64_t, std::string>> m_committed;  // index -> (term, data+type)
    std::map<uint64_t, uint64_t> m_chainHash;  // index -> state machine hash after applying it
    std::map<uint64_t, std::string> m_acked;   // proposal number -> data, propose() returned ok
    std::map<std::string, uint64_t> m_appliedProposals;  // data -> index where it committed
    uint64_t m_nextProposal = 1;
    uint64_t m_nextRead = 1;
    std::map<std::string, uint64_t> m_pendingReads;  // ctx -> highest committed index when issued
    SimResult m_result;
};

// Seed of the schedule running now (printed if the process aborts inside the core).
extern volatile uint64_t g_simCurrentSeed;
void installSimAbortHandler();

} // namespace skiff::raft::sim
