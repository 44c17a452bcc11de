#include "raft/RawNode.h"

#include "raft/Limits.h"
#include "raft/Raft.h"
#include "raft/Util.h"

#include <string>

namespace skiff::raft {

using std::to_string;

namespace {
bool sameHardState(const HardState &a, const HardState &b)
{
    return a.term() == b.term() && a.vote() == b.vote() && a.commit() == b.commit();
}
} // namespace

Result<std::unique_ptr<RawNode>> RawNode::create(const Config &config)
{
    auto raft = Raft::create(config);
    if (!raft.isOk())
        return raft.status();
    return std::unique_ptr<RawNode>(new RawNode(std::move(raft).value()));
}

RawNode::RawNode(std::unique_ptr<Raft> raft) : m_raft(std::move(raft))
{
    m_prevSoft = m_raft->softState();
    m_prevHard = m_raft->hardState();  // what storage holds: do not report it again
}

RawNode::~RawNode() = default;

// A leader sends the entries that follow (index, logTerm): consecutive indexes, terms that never
// fall, none above its own term. The log code relies on that shape (it slices the batch by index),
// so a batch without it is refused here, before the core sees it.
Status RawNode::checkAppendedEntries(const Message &m) const
{
    uint64_t previousTerm = m.log_term();
    for (int i = 0; i < m.entries_size(); ++i) {
        const Entry &e = m.entries(i);
        const auto refuse = [&](const std::string &why) {
            return corruption("raft node " + to_string(id()) + " refused an append from node " + to_string(m.from()) +
                              " (term " + to_string(m.term()) + ", after index " + to_string(m.index()) + "): entry " +
                              to_string(i) + " " + why + "; the sender is faulty");
        };
        if (e.index() != m.index() + 1 + uint64_t(i))
            return refuse("has index " + to_string(e.index()) + ", expected " + to_string(m.index() + 1 + uint64_t(i)));
        if (e.term() < previousTerm || e.term() > m.term())
            return refuse("has term " + to_string(e.term()) + ", outside " + to_string(previousTerm) + ".." +
                          to_string(m.term()));
        previousTerm = e.term();
    }
    return Status::ok();
}

uint64_t RawNode::id() const { return m_raft->id(); }

void RawNode::tick() { m_raft->tick(); }

Status RawNode::step(const Message &m)
{
    if (isLocalMessage(m.type()))
        return invalidArgument("raft node " + to_string(id()) + ": refusing to step local message type " +
                               to_string(int(m.type())) + " received from the network");
    if (m.from() == kNone && m.type() != MSG_PROP && m.type() != MSG_READ_INDEX)
        return invalidArgument("raft node " + to_string(id()) + ": message of type " + to_string(int(m.type())) +
                               " has no sender");
    if (Status s = checkMessageLimits(m); !s.isOk())
        return s.withContext("raft node " + to_string(id()) + " refused a message");
    if (m.type() == MSG_APP)
        if (Status s = checkAppendedEntries(m); !s.isOk())
            return s;
    StepFromNetworkScope fromNetwork;
    try {
        return m_raft->step(m);
    } catch (const PeerInvariantViolation &v) {
        return corruption("raft node " + to_string(id()) + " refused a message of type " + to_string(int(m.type())) +
                          " from node " + to_string(m.from()) + " (term " + to_string(m.term()) + "): " + v.message +
                          "; the sender is faulty, or this node's log was lost");
    }
}

Status RawNode::propose(std::string data, uint64_t firstPossibleIndex)
{
    Message m;
    m.set_type(MSG_PROP);
    m.set_from(id());
    m.set_first_possible_index(firstPossibleIndex);
    Entry *e = m.add_entries();
    e->set_type(ENTRY_NORMAL);
    e->set_data(std::move(data));
    return m_raft->step(m);
}

Status RawNode::proposeConfChange(const ConfChange &change)
{
    Message m;
    m.set_type(MSG_PROP);
    m.set_from(id());
    Entry *e = m.add_entries();
    e->set_type(ENTRY_CONF_CHANGE);
    e->set_data(change.SerializeAsString());
    return m_raft->step(m);
}

Status RawNode::readIndex(std::string ctx)
{
    if (ctx.empty())
        return invalidArgument("read index needs a non-empty, unique request context");
    Message m;
    m.set_type(MSG_READ_INDEX);
    m.add_entries()->set_data(std::move(ctx));
    return m_raft->step(m);
}

Status RawNode::transferLeader(uint64_t transferee)
{
    if (transferee == kNone)
        return invalidArgument("leadership transfer needs a target node id");
    if (m_raft->role() == Role::Leader && !m_raft->tracker().isVoter(transferee))
        return invalidArgument("leadership transfer to node " + to_string(transferee) +
                               " refused: it is not a voter of the current configuration");
    Message m;
    m.set_type(MSG_TRANSFER_LEADER);
    m.set_from(transferee);
    return m_raft->step(m);
}

Status RawNode::campaign()
{
    if (!m_raft->tracker().isVoter(id()))
        return failedPrecondition("raft node " + to_string(id()) + " cannot campaign: it is not a voter");
    Message m;
    m.set_type(MSG_HUP);
    m.set_from(id());
    return m_raft->step(m);
}

void RawNode::reportSnapshot(uint64_t to, bool success)
{
    Message m;
    m.set_type(MSG_SNAP_STATUS);
    m.set_from(to);
    m.set_reject(!success);
    (void)m_raft->step(m);
}

void RawNode::reportUnreachable(uint64_t to)
{
    Message m;
    m.set_type(MSG_UNREACHABLE);
    m.set_from(to);
    (void)m_raft->step(m);
}

bool RawNode::hasReady() const
{
    if (m_readyOutstanding)
        return false;
    const Raft &r = *m_raft;
    if (!(r.softState() == m_prevSoft))
        return true;
    const HardState hs = r.hardState();
    if (!sameHardState(hs, m_prevHard))
        return true;
    const RaftLog &log = r.log();
    if (log.unstableSnapshot() || !log.unstableEntries().empty() || log.hasNextCommittedEntries())
        return true;
    return r.hasPendingAppends() || !r.messages().empty() || !r.messagesAfterPersist().empty() ||
           !r.readStates().empty();
}

Ready RawNode::ready()
{
    Raft &r = *m_raft;
    Ready rd;
    if (m_readyOutstanding)
        return rd;
    m_readyOutstanding = true;
    r.flushAppends();
    const SoftState ss = r.softState();
    if (!(ss == m_prevSoft)) {
        rd.softState = ss;
        m_prevSoft = ss;
    }
    const HardState hs = r.hardState();
    if (!sameHardState(hs, m_prevHard))
        rd.hardState = hs;
    rd.entries = r.log().unstableEntries();
    if (r.log().unstableSnapshot())
        rd.snapshot = *r.log().unstableSnapshot();
    rd.committedEntries = r.log().nextCommittedEntries();
    rd.messages = std::move(r.messages());
    r.messages().clear();
    rd.persistedMessages = std::move(r.messagesAfterPersist());
    r.messagesAfterPersist().clear();
    rd.readStates = std::move(r.readStates());
    r.readStates().clear();
    rd.mustSync = !rd.entries.empty() || rd.snapshot.has_value() ||
                  (rd.hardState && (rd.hardState->term() != m_prevHard.term() || rd.hardState->vote() != m_prevHard.vote()));
    return rd;
}

void RawNode::advance(const Ready &rd)
{
    Raft &r = *m_raft;
    m_readyOutstanding = false;
    if (rd.hardState)
        m_prevHard = *rd.hardState;
    if (rd.snapshot)
        r.log().stableSnapTo(rd.snapshot->metadata().index());
    if (!rd.entries.empty()) {
        const Entry &last = rd.entries.back();
        r.log().stableTo(last.index(), last.term());
    }
    uint64_t applied = 0;
    if (!rd.committedEntries.empty()) {
        applied = rd.committedEntries.back().index();
        uint64_t bytes = 0;
        for (const Entry &e : rd.committedEntries)
            bytes += e.data().size();
        r.reduceUncommittedSize(bytes);
    } else if (rd.snapshot) {
        applied = rd.snapshot->metadata().index();
    }
    if (applied > r.log().applied())
        r.log().appliedTo(applied);
    r.onPersisted();
    r.maybeAutoLeaveJoint();
}

Result<ConfState> RawNode::applyConfChange(const ConfChange &change)
{
    return m_raft->applyConfChange(change);
}

RaftStatus RawNode::status() const
{
    const Raft &r = *m_raft;
    RaftStatus s;
    s.id = r.id();
    s.role = r.role();
    s.term = r.term();
    s.vote = r.vote();
    s.leader = r.leader();
    s.commit = r.log().committed();
    s.applied = r.log().applied();
    s.lastIndex = r.log().lastIndex();
    s.leadTransferee = r.leadTransferee();
    s.voters.assign(r.tracker().incoming().begin(), r.tracker().incoming().end());
    s.votersOutgoing.assign(r.tracker().outgoing().begin(), r.tracker().outgoing().end());
    s.learners.assign(r.tracker().learners().begin(), r.tracker().learners().end());
    if (r.role() == Role::Leader)
        for (const auto &[pid, pr] : r.tracker().progressMap())
            s.progress.push_back(*progressOf(pid));
    return s;
}

std::optional<PeerStatus> RawNode::progressOf(uint64_t id) const
{
    const Raft &r = *m_raft;
    if (r.role() != Role::Leader)
        return std::nullopt;
    const auto it = r.tracker().progressMap().find(id);
    if (it == r.tracker().progressMap().end())
        return std::nullopt;
    const Progress &pr = it->second;
    PeerStatus p;
    p.id = id;
    p.match = pr.match();
    p.next = pr.next();
    p.state = pr.state();
    p.isLearner = pr.isLearner();
    p.recentActive = pr.recentActive();
    p.ticksSinceContact = pr.lastContactTick() ? r.tickCount() - pr.lastContactTick() : 0;
    p.pendingSnapshot = pr.pendingSnapshot();
    p.inflight = pr.inflights().count();
    return p;
}

uint64_t RawNode::lastIndex() const
{
    return m_raft->log().lastIndex();
}

} // namespace skiff::raft
