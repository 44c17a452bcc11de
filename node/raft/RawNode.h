#pragma once
// The application's handle on one Raft node (etcd-io/raft's RawNode). Single-threaded, no I/O,
// no clock: the caller ticks it, steps received messages into it, and handles each Ready
// (persist, send, apply) before calling advance(). Exactly one Ready may be outstanding.

#include "common/Status.h"
#include "raft/Config.h"
#include "raft/RaftStatus.h"
#include "raft/Ready.h"

#include <memory>
#include <optional>
#include <string>

namespace skiff::raft {

class Raft;

class RawNode {
public:
    static Result<std::unique_ptr<RawNode>> create(const Config &config);
    ~RawNode();
    RawNode(const RawNode &) = delete;
    RawNode &operator=(const RawNode &) = delete;

    void tick();
    // A message received from a peer. Local message types are refused.
    Status step(const Message &m);
    // Proposes a NORMAL entry. Fails (never silently) when no leader is known, forwarding is
    // disabled, a leadership transfer is in progress, or the uncommitted limit is hit.
    // `firstPossibleIndex` > 0: a proposal that may be sent more than once (Config::
    // proposalIdentity); a leader appends it only if no copy is in its log from that index on.
    // A follower's forward succeeds without knowing whether the leader appended it.
    Status propose(std::string data, uint64_t firstPossibleIndex = 0);
    // Proposes a CONF_CHANGE entry: one change is a single-server change; several (or a JOINT_*
    // transition) enter a joint configuration; no changes leaves one. Fails while a previous
    // change or the leader's first entry of its term is not applied, or if the change is invalid.
    Status proposeConfChange(const ConfChange &change);
    // Requests a linearizable read; a ReadState with ctx appears in a later Ready.
    Status readIndex(std::string ctx);
    // Asks the leader (directly, or forwarded by a follower) to hand leadership to transferee.
    Status transferLeader(uint64_t transferee);
    // Starts an election now (pre-vote first if enabled).
    Status campaign();
    // Tells the leader that a snapshot sent to `to` was applied (or failed).
    void reportSnapshot(uint64_t to, bool success);
    void reportUnreachable(uint64_t to);

    // False while a Ready is outstanding (taken but not yet advanced).
    bool hasReady() const;
    // Takes the next Ready. Calling it again before advance() returns an empty Ready: a second
    // Ready would repeat the unpersisted entries of the first.
    Ready ready();
    void advance(const Ready &ready);
    // Applies a committed CONF_CHANGE entry's change; returns the new configuration.
    Result<ConfState> applyConfChange(const ConfChange &change);

    RaftStatus status() const;
    // The leader's progress of one member (as in status().progress); none on a non-leader or for
    // a non-member. Cheap: for the caller that looks at one peer per message.
    std::optional<PeerStatus> progressOf(uint64_t id) const;
    uint64_t lastIndex() const;
    uint64_t id() const;

private:
    Status checkAppendedEntries(const Message &m) const;
    explicit RawNode(std::unique_ptr<Raft> raft);

    std::unique_ptr<Raft> m_raft;
    SoftState m_prevSoft;
    HardState m_prevHard;
    bool m_readyOutstanding = false;
};

} // namespace skiff::raft
