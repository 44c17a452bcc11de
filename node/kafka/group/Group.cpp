#include "kafka/group/Group.h"

#include "kafka/group/ConsumerProtocol.h"

#include <algorithm>
#include <random>

namespace skiff::kafka::group {

namespace {

std::string randomSuffix()
{
    // Member ids only need to be unique and unguessable enough not to collide across restarts.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char *hex = "0123456789abcdef";
    std::string s;
    uint64_t a = rng(), b = rng();
    for (int i = 0; i < 16; ++i, a >>= 4)
        s.push_back(hex[a & 15]);
    s.push_back('-');
    for (int i = 0; i < 16; ++i, b >>= 4)
        s.push_back(hex[b & 15]);
    return s;
}

bool sameProtocols(const std::vector<Protocol> &a, const std::vector<Protocol> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].metadata != b[i].metadata)
            return false;
    return true;
}

} // namespace

Group::Group(std::string groupId, GroupConfig config, Clock clock, MemberIdGenerator newMemberId)
    : m_groupId(std::move(groupId)), m_config(config), m_clock(std::move(clock)), m_newMemberId(std::move(newMemberId))
{
}

std::unique_ptr<Group> Group::restore(const GroupSnapshot &snapshot, GroupConfig config, Clock clock,
                                      MemberIdGenerator newMemberId)
{
    auto g = std::make_unique<Group>(snapshot.groupId, config, std::move(clock), std::move(newMemberId));
    g->m_protocolType = snapshot.protocolType;
    g->m_generationId = snapshot.generationId;
    g->m_protocolName = snapshot.protocolName;
    g->m_leaderId = snapshot.leaderId.value_or("");
    const int64_t now = g->now();
    for (const auto &m : snapshot.members) {
        GroupMember member;
        member.memberId = m.memberId;
        member.groupInstanceId = m.groupInstanceId;
        member.clientId = m.clientId;
        member.clientHost = m.clientHost;
        member.sessionTimeoutMs = m.sessionTimeoutMs;
        member.rebalanceTimeoutMs = m.rebalanceTimeoutMs;
        member.protocolType = snapshot.protocolType;
        member.protocols = {{snapshot.protocolName.value_or(""), m.subscription}};
        member.assignment = m.assignment;
        member.sessionDeadlineMs = now + m.sessionTimeoutMs;
        if (m.groupInstanceId)
            g->m_staticMembers[*m.groupInstanceId] = m.memberId;
        g->m_members[m.memberId] = std::move(member);
    }
    g->m_state = g->m_members.empty() ? GroupState::Empty : GroupState::Stable;
    if (!g->m_members.empty() && !g->m_members.count(g->m_leaderId))
        g->m_leaderId = g->m_members.begin()->first;
    return g;
}

std::string Group::generateMemberId(const std::string &clientId)
{
    if (m_newMemberId)
        return m_newMemberId(clientId);
    return clientId + "-" + randomSuffix() + "-" + std::to_string(++m_memberCounter);
}

ErrorCode Group::checkMember(const std::string &memberId, const std::optional<std::string> &groupInstanceId) const
{
    if (groupInstanceId) {
        auto it = m_staticMembers.find(*groupInstanceId);
        if (it != m_staticMembers.end() && it->second != memberId)
            return ErrorCode::FencedInstanceId;
    }
    return m_members.count(memberId) ? ErrorCode::None : ErrorCode::UnknownMemberId;
}

std::set<std::string> Group::candidateProtocols() const
{
    std::set<std::string> candidates;
    bool first = true;
    for (const auto &[id, m] : m_members) {
        std::set<std::string> names;
        for (const auto &p : m.protocols)
            names.insert(p.name);
        if (first) {
            candidates = std::move(names);
            first = false;
            continue;
        }
        std::set<std::string> both;
        std::set_intersection(candidates.begin(), candidates.end(), names.begin(), names.end(),
                              std::inserter(both, both.begin()));
        candidates = std::move(both);
    }
    return candidates;
}

bool Group::protocolsCompatible(const std::string &protocolType, const std::vector<Protocol> &protocols) const
{
    if (protocolType.empty() || protocols.empty())
        return false;
    if (m_members.empty())
        return true;
    if (protocolType != m_protocolType)
        return false;
    const auto candidates = candidateProtocols();
    return std::any_of(protocols.begin(), protocols.end(), [&](const Protocol &p) { return candidates.count(p.name) > 0; });
}

std::string Group::selectProtocol() const
{
    // Every member votes for its most preferred protocol that all members support.
    const auto candidates = candidateProtocols();
    std::map<std::string, int> votes;
    for (const auto &[id, m] : m_members) {
        for (const auto &p : m.protocols) {
            if (candidates.count(p.name)) {
                ++votes[p.name];
                break;
            }
        }
    }
    std::string best;
    int bestVotes = -1;
    for (const auto &[name, n] : votes) {
        if (n > bestVotes) {
            best = name;
            bestVotes = n;
        }
    }
    return best;
}

int32_t Group::maxRebalanceTimeout() const
{
    int32_t t = 0;
    for (const auto &[id, m] : m_members)
        t = std::max(t, m.rebalanceTimeoutMs);
    return t;
}

void Group::join(JoinParams params, JoinCallback done)
{
    if (m_state == GroupState::Dead)
        return done({.error = ErrorCode::CoordinatorNotAvailable, .memberId = params.memberId});
    if (params.sessionTimeoutMs < m_config.minSessionTimeoutMs || params.sessionTimeoutMs > m_config.maxSessionTimeoutMs)
        return done({.error = ErrorCode::InvalidSessionTimeout, .memberId = params.memberId});
    if (params.rebalanceTimeoutMs < 0)   // JoinGroup v0 has no rebalance timeout: Kafka uses the session timeout
        params.rebalanceTimeoutMs = params.sessionTimeoutMs;
    if (!protocolsCompatible(params.protocolType, params.protocols))
        return done({.error = ErrorCode::InconsistentGroupProtocol, .memberId = params.memberId});
    if (!params.memberId.empty())
        return joinKnownMember(std::move(params), std::move(done));
    if (params.groupInstanceId)
        return joinStaticMember(std::move(params), std::move(done));
    joinNewMember(std::move(params), std::move(done));
}

void Group::joinNewMember(JoinParams params, JoinCallback done)
{
    const std::string memberId = generateMemberId(params.clientId);
    if (params.requireKnownMemberId) {
        // The client retries with this id; only then does it count as a member. A client that
        // never comes back costs nothing but this entry, which expires with its session.
        m_pendingMembers[memberId] = now() + params.sessionTimeoutMs;
        return done({.error = ErrorCode::MemberIdRequired, .memberId = memberId});
    }
    addMember(std::move(params), memberId, std::move(done));
}

void Group::addMember(JoinParams params, const std::string &memberId, JoinCallback done)
{
    if (m_members.empty())
        m_protocolType = params.protocolType;
    GroupMember m;
    m.memberId = memberId;
    m.groupInstanceId = params.groupInstanceId;
    m.clientId = std::move(params.clientId);
    m.clientHost = std::move(params.clientHost);
    m.sessionTimeoutMs = params.sessionTimeoutMs;
    m.rebalanceTimeoutMs = params.rebalanceTimeoutMs;
    m.protocolType = std::move(params.protocolType);
    m.protocols = std::move(params.protocols);
    m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
    m.awaitingJoin = std::move(done);
    if (m.groupInstanceId)
        m_staticMembers[*m.groupInstanceId] = memberId;
    m_pendingMembers.erase(memberId);
    m_members[memberId] = std::move(m);

    if (m_state == GroupState::PreparingRebalance) {
        // Still gathering the first members of a group that was empty: wait a little longer.
        if (m_joinNotBeforeMs > now())
            m_joinNotBeforeMs = std::min(now() + m_config.initialRebalanceDelayMs, m_rebalanceDeadlineMs);
        m_rebalanceDeadlineMs = std::max(m_rebalanceDeadlineMs, now() + m_members[memberId].rebalanceTimeoutMs);
        maybeCompleteJoin();
    } else {
        prepareRebalance();
    }
}

void Group::joinStaticMember(JoinParams params, JoinCallback done)
{
    auto known = m_staticMembers.find(*params.groupInstanceId);
    if (known == m_staticMembers.end())
        return addMember(std::move(params), generateMemberId(params.clientId), std::move(done));

    // A known instance with a new member id: the new process replaces the old one, whose
    // waiting requests (and any later ones) are fenced.
    const std::string oldId = known->second;
    GroupMember member = std::move(m_members[oldId]);
    m_members.erase(oldId);
    if (member.awaitingJoin)
        std::exchange(member.awaitingJoin, nullptr)({.error = ErrorCode::FencedInstanceId, .memberId = oldId});
    if (member.awaitingSync)
        std::exchange(member.awaitingSync, nullptr)({.error = ErrorCode::FencedInstanceId});

    const std::string newId = generateMemberId(params.clientId);
    const std::string previousLeader = m_leaderId;
    const bool protocolsChanged = !sameProtocols(member.protocols, params.protocols);
    member.memberId = newId;
    member.clientId = std::move(params.clientId);
    member.clientHost = std::move(params.clientHost);
    member.sessionTimeoutMs = params.sessionTimeoutMs;
    member.rebalanceTimeoutMs = params.rebalanceTimeoutMs;
    member.protocols = std::move(params.protocols);
    member.sessionDeadlineMs = now() + member.sessionTimeoutMs;
    known->second = newId;
    if (m_leaderId == oldId)
        m_leaderId = newId;
    GroupMember &m = m_members[newId] = std::move(member);

    switch (m_state) {
    case GroupState::Stable:
        if (!protocolsChanged || (m_protocolName && selectProtocol() == *m_protocolName)) {
            // No rebalance: the member keeps its assignment. The old leader id is returned so
            // that a replaced leader does not compute an assignment nobody would receive.
            m_persist = true;
            JoinResult r = currentJoinResult(m);
            r.leaderId = previousLeader;
            r.members.clear();
            return done(std::move(r));
        }
        m.awaitingJoin = std::move(done);
        return prepareRebalance();
    case GroupState::CompletingRebalance:
        m.awaitingJoin = std::move(done);
        return prepareRebalance();
    case GroupState::PreparingRebalance:
        m.awaitingJoin = std::move(done);
        return maybeCompleteJoin();
    case GroupState::Empty:
    case GroupState::Dead:
        break;
    }
    m.awaitingJoin = std::move(done);
    prepareRebalance();
}

void Group::joinKnownMember(JoinParams params, JoinCallback done)
{
    if (m_pendingMembers.count(params.memberId) && !m_members.count(params.memberId)) {
        const std::string memberId = params.memberId;
        return addMember(std::move(params), memberId, std::move(done));
    }
    if (ErrorCode e = checkMember(params.memberId, params.groupInstanceId); e != ErrorCode::None)
        return done({.error = e, .memberId = params.memberId});
    GroupMember &m = m_members[params.memberId];
    const bool protocolsChanged = !sameProtocols(m.protocols, params.protocols);
    switch (m_state) {
    case GroupState::PreparingRebalance:
        updateMember(m, params, std::move(done));
        return maybeCompleteJoin();
    case GroupState::CompletingRebalance:
        if (!protocolsChanged) {
            // The join response was lost: send it again.
            m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
            return done(currentJoinResult(m));
        }
        updateMember(m, params, std::move(done));
        return prepareRebalance();
    case GroupState::Stable:
        if (m.memberId == m_leaderId || protocolsChanged) {
            // A leader rejoins to get new metadata (e.g. a subscribed topic grew): rebalance.
            updateMember(m, params, std::move(done));
            return prepareRebalance();
        }
        m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
        return done(currentJoinResult(m));
    case GroupState::Empty:
    case GroupState::Dead:
        return done({.error = ErrorCode::UnknownMemberId, .memberId = params.memberId});
    }
}

void Group::updateMember(GroupMember &member, JoinParams &params, JoinCallback done)
{
    member.clientId = std::move(params.clientId);
    member.clientHost = std::move(params.clientHost);
    member.sessionTimeoutMs = params.sessionTimeoutMs;
    member.rebalanceTimeoutMs = params.rebalanceTimeoutMs;
    member.protocols = std::move(params.protocols);
    member.sessionDeadlineMs = now() + member.sessionTimeoutMs;
    // Every request gets an answer (responses on a connection leave in order); the client
    // gave up on the older join when it sent this one.
    if (member.awaitingJoin)
        std::exchange(member.awaitingJoin, nullptr)({.error = ErrorCode::RebalanceInProgress, .memberId = member.memberId});
    member.awaitingJoin = std::move(done);
}

JoinResult Group::currentJoinResult(const GroupMember &member) const
{
    JoinResult r;
    r.generationId = m_generationId;
    r.protocolType = m_protocolType;
    r.protocolName = m_protocolName;
    r.leaderId = m_leaderId;
    r.memberId = member.memberId;
    if (member.memberId == m_leaderId && m_protocolName) {
        for (const auto &[id, m] : m_members) {
            const std::string *metadata = m.metadataFor(*m_protocolName);
            r.members.push_back({id, m.groupInstanceId, metadata ? *metadata : std::string()});
        }
    }
    return r;
}

void Group::removeMember(const std::string &memberId, ErrorCode answerWaiters)
{
    auto it = m_members.find(memberId);
    if (it == m_members.end())
        return;
    GroupMember m = std::move(it->second);
    m_members.erase(it);
    if (m.groupInstanceId) {
        auto s = m_staticMembers.find(*m.groupInstanceId);
        if (s != m_staticMembers.end() && s->second == memberId)
            m_staticMembers.erase(s);
    }
    if (m_leaderId == memberId)
        m_leaderId = m_members.empty() ? std::string() : m_members.begin()->first;
    if (m.awaitingJoin)
        m.awaitingJoin({.error = answerWaiters, .memberId = memberId});
    if (m.awaitingSync)
        m.awaitingSync({.error = answerWaiters});
}

void Group::onMembershipLost()
{
    switch (m_state) {
    case GroupState::Stable:
    case GroupState::CompletingRebalance:
        prepareRebalance();
        break;
    case GroupState::PreparingRebalance:
        maybeCompleteJoin();
        break;
    case GroupState::Empty:
    case GroupState::Dead:
        break;
    }
}

void Group::resetAssignments(ErrorCode answerWaiters)
{
    for (auto &[id, m] : m_members) {
        m.assignment.clear();
        if (m.awaitingSync)
            std::exchange(m.awaitingSync, nullptr)({.error = answerWaiters});
    }
}

void Group::prepareRebalance()
{
    if (m_state == GroupState::CompletingRebalance)
        resetAssignments(ErrorCode::RebalanceInProgress);
    const bool wasEmpty = m_state == GroupState::Empty;
    m_state = GroupState::PreparingRebalance;
    m_rebalanceDeadlineMs = now() + maxRebalanceTimeout();
    m_joinNotBeforeMs = wasEmpty ? std::min(now() + m_config.initialRebalanceDelayMs, m_rebalanceDeadlineMs) : 0;
    maybeCompleteJoin();
}

void Group::maybeCompleteJoin()
{
    if (m_state != GroupState::PreparingRebalance)
        return;
    const bool allJoined = m_pendingMembers.empty()
                           && std::all_of(m_members.begin(), m_members.end(),
                                          [](const auto &e) { return bool(e.second.awaitingJoin); });
    if ((allJoined && now() >= m_joinNotBeforeMs) || now() >= m_rebalanceDeadlineMs)
        completeJoin();
}

void Group::completeJoin()
{
    // Members that did not rejoin within the rebalance timeout are out.
    std::vector<std::string> gone;
    for (const auto &[id, m] : m_members)
        if (!m.awaitingJoin)
            gone.push_back(id);
    for (const auto &id : gone)
        removeMember(id, ErrorCode::UnknownMemberId);

    ++m_generationId;
    if (m_members.empty()) {
        m_state = GroupState::Empty;
        m_protocolName.reset();
        m_leaderId.clear();
        m_persist = true;
        return;
    }
    m_protocolName = selectProtocol();
    if (!m_members.count(m_leaderId))
        m_leaderId = m_members.begin()->first;
    m_state = GroupState::CompletingRebalance;
    m_syncDeadlineMs = now() + maxRebalanceTimeout();

    std::vector<std::pair<JoinCallback, JoinResult>> answers;
    for (auto &[id, m] : m_members) {
        m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
        answers.emplace_back(std::exchange(m.awaitingJoin, nullptr), currentJoinResult(m));
    }
    for (auto &[callback, result] : answers)
        callback(std::move(result));
}

void Group::sync(SyncParams params, SyncCallback done)
{
    if (m_state == GroupState::Dead)
        return done({.error = ErrorCode::CoordinatorNotAvailable});
    if (ErrorCode e = checkMember(params.memberId, params.groupInstanceId); e != ErrorCode::None)
        return done({.error = e});
    if (params.generationId != m_generationId)
        return done({.error = ErrorCode::IllegalGeneration});
    if ((params.protocolType && *params.protocolType != m_protocolType)
        || (params.protocolName && *params.protocolName != m_protocolName))
        return done({.error = ErrorCode::InconsistentGroupProtocol});

    GroupMember &m = m_members[params.memberId];
    switch (m_state) {
    case GroupState::PreparingRebalance:
        return done({.error = ErrorCode::RebalanceInProgress});
    case GroupState::Stable:
        m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
        return done({ErrorCode::None, m_protocolType, m_protocolName, m.assignment});
    case GroupState::CompletingRebalance:
        break;
    case GroupState::Empty:
    case GroupState::Dead:
        return done({.error = ErrorCode::UnknownMemberId});
    }
    if (m.awaitingSync)
        std::exchange(m.awaitingSync, nullptr)({.error = ErrorCode::RebalanceInProgress});
    m.awaitingSync = std::move(done);
    m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
    if (params.memberId != m_leaderId)
        return;
    // The leader's assignment: relayed byte for byte; members it left out get nothing.
    for (auto &[id, member] : m_members)
        member.assignment.clear();
    for (auto &[id, bytes] : params.assignments) {
        auto it = m_members.find(id);
        if (it != m_members.end())
            it->second.assignment = std::move(bytes);
    }
    completeSync();
}

void Group::completeSync()
{
    m_state = GroupState::Stable;
    m_persist = true;
    std::vector<std::pair<SyncCallback, SyncResult>> answers;
    for (auto &[id, m] : m_members)
        if (m.awaitingSync)
            answers.emplace_back(std::exchange(m.awaitingSync, nullptr),
                                 SyncResult{ErrorCode::None, m_protocolType, m_protocolName, m.assignment});
    for (auto &[callback, result] : answers)
        callback(std::move(result));
}

ErrorCode Group::heartbeat(const std::string &memberId, const std::optional<std::string> &groupInstanceId,
                           int32_t generationId)
{
    if (m_state == GroupState::Dead)
        return ErrorCode::CoordinatorNotAvailable;
    if (ErrorCode e = checkMember(memberId, groupInstanceId); e != ErrorCode::None)
        return e;
    if (generationId != m_generationId)
        return ErrorCode::IllegalGeneration;
    GroupMember &m = m_members[memberId];
    m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
    return m_state == GroupState::PreparingRebalance ? ErrorCode::RebalanceInProgress : ErrorCode::None;
}

ErrorCode Group::leave(const std::string &memberId, const std::optional<std::string> &groupInstanceId)
{
    if (m_state == GroupState::Dead)
        return ErrorCode::CoordinatorNotAvailable;
    std::string id = memberId;
    if (groupInstanceId) {
        auto it = m_staticMembers.find(*groupInstanceId);
        if (it == m_staticMembers.end())
            return ErrorCode::UnknownMemberId;
        if (!memberId.empty() && it->second != memberId)
            return ErrorCode::FencedInstanceId;
        id = it->second;
    } else if (m_pendingMembers.erase(memberId)) {
        maybeCompleteJoin();
        return ErrorCode::None;
    }
    if (!m_members.count(id))
        return ErrorCode::UnknownMemberId;
    removeMember(id, ErrorCode::UnknownMemberId);
    onMembershipLost();
    return ErrorCode::None;
}

ErrorCode Group::acceptOffsetCommit(const std::string &memberId, const std::optional<std::string> &groupInstanceId,
                                    int32_t generationId)
{
    if (m_state == GroupState::Dead)
        return ErrorCode::CoordinatorNotAvailable;
    if (generationId < 0 && m_state == GroupState::Empty)
        return ErrorCode::None;   // a consumer that assigns itself partitions and only stores offsets here
    if (ErrorCode e = checkMember(memberId, groupInstanceId); e != ErrorCode::None)
        return e;
    if (generationId != m_generationId)
        return ErrorCode::IllegalGeneration;
    if (m_state == GroupState::CompletingRebalance)
        return ErrorCode::RebalanceInProgress;
    GroupMember &m = m_members[memberId];
    m.sessionDeadlineMs = now() + m.sessionTimeoutMs;
    return ErrorCode::None;
}

void Group::tick()
{
    const int64_t t = now();
    bool lost = false;
    for (auto it = m_pendingMembers.begin(); it != m_pendingMembers.end();) {
        if (it->second <= t) {
            it = m_pendingMembers.erase(it);
            lost = true;
        } else {
            ++it;
        }
    }
    std::vector<std::string> expired;
    for (const auto &[id, m] : m_members)
        if (!m.awaitingJoin && !m.awaitingSync && m.sessionDeadlineMs <= t)
            expired.push_back(id);
    for (const auto &id : expired)
        removeMember(id, ErrorCode::UnknownMemberId);
    if (!expired.empty())
        onMembershipLost();
    else if (lost)
        maybeCompleteJoin();

    if (m_state == GroupState::PreparingRebalance) {
        maybeCompleteJoin();
    } else if (m_state == GroupState::CompletingRebalance && t >= m_syncDeadlineMs) {
        // The leader never sent its assignment (or some members never asked for theirs).
        std::vector<std::string> silent;
        for (const auto &[id, m] : m_members)
            if (!m.awaitingSync)
                silent.push_back(id);
        for (const auto &id : silent)
            removeMember(id, ErrorCode::UnknownMemberId);
        prepareRebalance();
    }
}

void Group::markDead(ErrorCode error)
{
    std::vector<std::string> ids;
    for (const auto &[id, m] : m_members)
        ids.push_back(id);
    for (const auto &id : ids)
        removeMember(id, error);
    m_pendingMembers.clear();
    m_staticMembers.clear();
    m_state = GroupState::Dead;
}

std::set<std::string> Group::subscribedTopics() const
{
    std::set<std::string> topics;
    if (m_protocolType != "consumer")
        return topics;
    for (const auto &[id, m] : m_members) {
        for (const auto &p : m.protocols) {
            if (m_protocolName && p.name != *m_protocolName)
                continue;
            for (std::string &topic : subscriptionTopics(p.metadata))
                topics.insert(std::move(topic));
        }
    }
    return topics;
}

GroupSnapshot Group::snapshot(int64_t wallClockMs) const
{
    GroupSnapshot s;
    s.groupId = m_groupId;
    s.protocolType = m_protocolType;
    s.generationId = m_generationId;
    s.protocolName = m_protocolName;
    if (!m_leaderId.empty())
        s.leaderId = m_leaderId;
    s.stateTimestampMs = wallClockMs;
    for (const auto &[id, m] : m_members) {
        const std::string *sub = m_protocolName ? m.metadataFor(*m_protocolName) : nullptr;
        s.members.push_back({id, m.groupInstanceId, m.clientId, m.clientHost, m.rebalanceTimeoutMs, m.sessionTimeoutMs,
                             sub ? *sub : std::string(), m.assignment});
    }
    return s;
}

bool Group::takePersistRequest()
{
    return std::exchange(m_persist, false);
}

} // namespace skiff::kafka::group
