#pragma once
// The classic group membership protocol of one group, as Kafka's coordinator runs it:
//
//   Empty --join--> PreparingRebalance --all joined / rebalance timeout--> CompletingRebalance
//   CompletingRebalance --leader's SyncGroup--> Stable
//   Stable / CompletingRebalance --join with new protocols, leader rejoin, leave, session
//       expiry, sync timeout--> PreparingRebalance
//   PreparingRebalance --nobody rejoined--> Empty (generation still advances)
//   any --deleted or unloaded--> Dead
//
// Pure: no I/O, no timers. Time comes from the injected clock; the owner calls tick() now and
// then to expire sessions and complete rebalances whose timeout passed. Delayed JoinGroup and
// SyncGroup answers are callbacks invoked from join/sync/leave/tick. The owner persists the
// group when takePersistRequest() says so.

#include "kafka/group/GroupConfig.h"
#include "kafka/group/GroupMember.h"
#include "kafka/group/GroupSnapshot.h"
#include "kafka/group/GroupState.h"
#include "kafka/group/JoinTypes.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace skiff::kafka::group {

class Group {
public:
    using MemberIdGenerator = std::function<std::string(const std::string &clientId)>;

    Group(std::string groupId, GroupConfig config, Clock clock, MemberIdGenerator newMemberId = {});
    // Restores a persisted group: Stable with its members when it had any, else Empty. Every
    // restored member gets a fresh session so that its client can reach the new coordinator.
    static std::unique_ptr<Group> restore(const GroupSnapshot &snapshot, GroupConfig config, Clock clock,
                                          MemberIdGenerator newMemberId = {});

    void join(JoinParams params, JoinCallback done);
    void sync(SyncParams params, SyncCallback done);
    ErrorCode heartbeat(const std::string &memberId, const std::optional<std::string> &groupInstanceId,
                        int32_t generationId);
    // LeaveGroup of one member; memberId may be empty when groupInstanceId names it (v3+).
    ErrorCode leave(const std::string &memberId, const std::optional<std::string> &groupInstanceId);
    // Whether an OffsetCommit from this member in this generation is accepted (None) or why not;
    // an accepted commit counts as a sign of life, like a heartbeat.
    ErrorCode acceptOffsetCommit(const std::string &memberId, const std::optional<std::string> &groupInstanceId,
                                 int32_t generationId);
    // Expires sessions and pending members, completes rebalances and syncs whose time is up.
    void tick();
    // Deleted, or its partition moved away: every waiting request gets `error`.
    void markDead(ErrorCode error);

    const std::string &groupId() const { return m_groupId; }
    GroupState state() const { return m_state; }
    int32_t generationId() const { return m_generationId; }
    const std::string &protocolType() const { return m_protocolType; }
    const std::optional<std::string> &protocolName() const { return m_protocolName; }
    const std::string &leaderId() const { return m_leaderId; }
    const std::map<std::string, GroupMember> &members() const { return m_members; }
    size_t pendingMemberCount() const { return m_pendingMembers.size(); }
    bool hasMember(const std::string &memberId) const { return m_members.count(memberId) > 0; }
    // Topics the members subscribed to, when the group speaks the consumer protocol.
    std::set<std::string> subscribedTopics() const;

    GroupSnapshot snapshot(int64_t wallClockMs) const;
    // True once after every change that should be written to the log.
    bool takePersistRequest();

private:
    int64_t now() const { return m_clock(); }
    std::string generateMemberId(const std::string &clientId);
    ErrorCode checkMember(const std::string &memberId, const std::optional<std::string> &groupInstanceId) const;
    bool protocolsCompatible(const std::string &protocolType, const std::vector<Protocol> &protocols) const;
    std::set<std::string> candidateProtocols() const;
    std::string selectProtocol() const;

    void joinNewMember(JoinParams params, JoinCallback done);
    void joinStaticMember(JoinParams params, JoinCallback done);
    void joinKnownMember(JoinParams params, JoinCallback done);
    void addMember(JoinParams params, const std::string &memberId, JoinCallback done);
    void updateMember(GroupMember &member, JoinParams &params, JoinCallback done);
    void removeMember(const std::string &memberId, ErrorCode answerWaiters);
    JoinResult currentJoinResult(const GroupMember &member) const;

    void prepareRebalance();
    void maybeCompleteJoin();
    void completeJoin();
    void completeSync();
    void onMembershipLost();
    void resetAssignments(ErrorCode answerWaiters);
    int32_t maxRebalanceTimeout() const;

    std::string m_groupId;
    GroupConfig m_config;
    Clock m_clock;
    MemberIdGenerator m_newMemberId;
    uint64_t m_memberCounter = 0;

    GroupState m_state = GroupState::Empty;
    int32_t m_generationId = 0;
    std::string m_protocolType;
    std::optional<std::string> m_protocolName;
    std::string m_leaderId;
    std::map<std::string, GroupMember> m_members;
    std::map<std::string, std::string> m_staticMembers;   // group.instance.id -> member id
    std::map<std::string, int64_t> m_pendingMembers;      // MEMBER_ID_REQUIRED given, deadline
    int64_t m_rebalanceDeadlineMs = 0;                    // PreparingRebalance: complete by then
    int64_t m_joinNotBeforeMs = 0;                        // initial delay of a group that was empty
    int64_t m_syncDeadlineMs = 0;                         // CompletingRebalance: leader must sync by then
    bool m_persist = false;
};

} // namespace skiff::kafka::group
