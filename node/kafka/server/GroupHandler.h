#pragma once
// The consumer-group APIs: FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
// OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete. Turns
// requests into calls on the GroupCoordinator's state and its answers into responses; JoinGroup
// and SyncGroup are answered when the group's state machine calls back, offset commits once
// their records are durable.

#include "kafka/server/RequestAuthorizer.h"
#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
class GroupCoordinator;
struct FindCoordinatorRequest;
struct JoinGroupRequest;
struct SyncGroupRequest;
struct HeartbeatRequest;
struct LeaveGroupRequest;
struct OffsetCommitRequest;
struct OffsetFetchRequest;
struct DescribeGroupsRequest;
struct ListGroupsRequest;
struct DeleteGroupsRequest;
struct OffsetDeleteRequest;

class GroupHandler {
public:
    GroupHandler(BrokerContext &context, GroupCoordinator &coordinator) : m_context(context), m_coordinator(coordinator) {}

    void findCoordinator(RequestInfo info, FindCoordinatorRequest request);
    void joinGroup(RequestInfo info, JoinGroupRequest request);
    void syncGroup(RequestInfo info, SyncGroupRequest request);
    void heartbeat(RequestInfo info, const HeartbeatRequest &request);
    void leaveGroup(RequestInfo info, const LeaveGroupRequest &request);
    void offsetCommit(RequestInfo info, const OffsetCommitRequest &request);
    void offsetFetch(RequestInfo info, const OffsetFetchRequest &request);
    void describeGroups(RequestInfo info, const DescribeGroupsRequest &request);
    void listGroups(RequestInfo info, const ListGroupsRequest &request);
    void deleteGroups(RequestInfo info, const DeleteGroupsRequest &request);
    void offsetDelete(RequestInfo info, const OffsetDeleteRequest &request);

private:
    // The authorizer's word on the group or topic (Kafka's GROUP_/TOPIC_AUTHORIZATION_FAILED).
    bool allows(const RequestInfo &info, metadata::AclOperation operation, const std::string &groupId,
                RequestAuthorizer::Denial denial = RequestAuthorizer::Denial::Logged) const;
    bool allowsTopic(const RequestInfo &info, metadata::AclOperation operation, const std::string &topic,
                     RequestAuthorizer::Denial denial = RequestAuthorizer::Denial::Logged) const;

    BrokerContext &m_context;
    GroupCoordinator &m_coordinator;
};

} // namespace skiff::kafka
