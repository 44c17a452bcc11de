#include "kafka/server/GroupHandler.h"

#include "kafka/group/GroupRecords.h"
#include "kafka/protocol/messages/DeleteGroups.h"
#include "kafka/protocol/messages/DescribeGroups.h"
#include "kafka/protocol/messages/FindCoordinator.h"
#include "kafka/protocol/messages/Heartbeat.h"
#include "kafka/protocol/messages/JoinGroup.h"
#include "kafka/protocol/messages/LeaveGroup.h"
#include "kafka/protocol/messages/ListGroups.h"
#include "kafka/protocol/messages/OffsetCommit.h"
#include "kafka/protocol/messages/OffsetDelete.h"
#include "kafka/protocol/messages/OffsetFetch.h"
#include "kafka/protocol/messages/SyncGroup.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/GroupCoordinator.h"
#include "metadata/PartitionServing.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string_view>

namespace skiff::kafka {

namespace {

using group::CoordinatorShard;
using group::Group;
using group::GroupState;

constexpr std::string_view kClassicGroupType = "classic";   // ListGroups v5's GroupType

// Kafka refuses offset metadata longer than offset.metadata.max.bytes (4096 by default).
constexpr size_t kMaxOffsetMetadata = 4096;

std::string clientHostOf(const Responder &responder)
{
    // "host:port" of the connection; Kafka shows the host as "/address".
    std::string peer = responder.peer().toStdString();
    const auto colon = peer.rfind(':');
    if (colon != std::string::npos)
        peer.resize(colon);
    return "/" + peer;
}

} // namespace

bool GroupHandler::allows(const RequestInfo &info, metadata::AclOperation operation, const std::string &groupId,
                          RequestAuthorizer::Denial denial) const
{
    return m_context.authorizer.allowsGroup(info, *m_context.image(), operation, groupId, denial);
}

bool GroupHandler::allowsTopic(const RequestInfo &info, metadata::AclOperation operation, const std::string &topic,
                               RequestAuthorizer::Denial denial) const
{
    return m_context.authorizer.allowsTopic(info, *m_context.image(), operation, topic, denial);
}

void GroupHandler::findCoordinator(RequestInfo info, FindCoordinatorRequest request)
{
    const int16_t version = info.apiVersion();
    std::vector<std::string> keys = version >= 4 ? request.coordinatorKeys : std::vector<std::string>{request.key};
    const int8_t keyType = request.keyType;
    std::set<std::string> denied;   // group keys the client may not describe
    if (keyType == FindCoordinatorRequest::kGroupKey)
        for (const auto &key : keys)
            if (!allows(info, metadata::AclOperation::Describe, key))
                denied.insert(key);
    auto answer = [this, info, version, keys, keyType, denied](ErrorCode topicError) mutable {
        const auto image = m_context.image();
        FindCoordinatorResponse response;
        for (const auto &key : keys) {
            FindCoordinatorResponse::Coordinator c{key, -1, "", -1, 0, std::nullopt};
            ErrorCode e = topicError;
            if (keyType != FindCoordinatorRequest::kGroupKey) {
                // Not COORDINATOR_NOT_AVAILABLE, which clients retry until max.block.ms (60 s
                // of a silent hang in the Java client's initTransactions): the error a
                // transactional id without access gets, fatal at once in Java and librdkafka.
                e = ErrorCode::TransactionalIdAuthorizationFailed;
                c.errorMessage = "transactions are not supported";
            } else if (denied.contains(key)) {
                e = ErrorCode::GroupAuthorizationFailed;
            } else if (e == ErrorCode::None) {
                const metadata::TopicInfo *topic = image->topic(GroupCoordinator::kTopic);
                const int32_t p = m_coordinator.partitionFor(key);
                const metadata::PartitionInfo *partition =
                    topic && p < int32_t(topic->partitions.size()) ? &topic->partitions[size_t(p)] : nullptr;
                const uint64_t leader = partition ? m_context.leaderToName(metadata::servingOf(*image, *partition).leader) : 0;
                const metadata::BrokerInfo *broker = leader ? image->broker(leader) : nullptr;
                const auto endpoint = broker ? metadata::endpointFor(*broker, info.listenerName()) : std::nullopt;
                if (!endpoint) {
                    e = ErrorCode::CoordinatorNotAvailable;
                } else {
                    c.nodeId = int32_t(broker->id);
                    c.host = endpoint->host;
                    c.port = endpoint->port;
                }
            }
            if (e != ErrorCode::None) {
                c.errorCode = toWire(e);
                c.nodeId = -1;
                c.host.clear();
                c.port = -1;
                if (!c.errorMessage)
                    c.errorMessage = errorCodeName(e);
            }
            response.coordinators.push_back(std::move(c));
        }
        if (version < 4 && !response.coordinators.empty()) {
            const auto &c = response.coordinators.front();
            response.errorCode = c.errorCode;
            response.errorMessage = c.errorCode ? c.errorMessage : std::nullopt;
            response.nodeId = c.nodeId;
            response.host = c.host;
            response.port = c.port;
            response.coordinators.clear();
        }
        m_context.sendElsewhereWhenFenced(info.responder);
        info.reply(response);
    };
    if (keyType != FindCoordinatorRequest::kGroupKey)
        return answer(ErrorCode::None);
    m_coordinator.ensureTopic(std::move(answer));
}

void GroupHandler::joinGroup(RequestInfo info, JoinGroupRequest request)
{
    const int16_t version = info.apiVersion();
    auto reply = [info, version](group::JoinResult r) mutable {
        JoinGroupResponse response;
        response.errorCode = toWire(r.error);
        response.generationId = r.generationId;
        if (r.error == ErrorCode::None) {
            if (version >= 7)
                response.protocolType = r.protocolType;
            response.protocolName = r.protocolName;
        }
        response.leader = r.leaderId;
        response.memberId = r.memberId;
        for (auto &m : r.members)
            response.members.push_back({std::move(m.memberId), std::move(m.groupInstanceId), std::move(m.metadata)});
        info.reply(response);
    };
    if (!allows(info, metadata::AclOperation::Read, request.groupId))
        return reply({.error = ErrorCode::GroupAuthorizationFailed, .memberId = request.memberId});
    if (request.groupId.empty())
        return reply({.error = ErrorCode::InvalidGroupId, .memberId = request.memberId});
    auto l = m_coordinator.lookup(request.groupId);
    if (!l.shard)
        return reply({.error = l.error, .memberId = request.memberId});

    group::JoinParams params;
    params.memberId = request.memberId;
    params.groupInstanceId = request.groupInstanceId;
    params.clientId = info.header.clientId.value_or("");
    params.clientHost = clientHostOf(info.responder);
    params.sessionTimeoutMs = request.sessionTimeoutMs;
    params.rebalanceTimeoutMs = version >= 1 ? request.rebalanceTimeoutMs : -1;
    params.protocolType = request.protocolType;
    for (auto &p : request.protocols)
        params.protocols.push_back({std::move(p.name), std::move(p.metadata)});
    params.requireKnownMemberId = version >= 4;

    Group &g = l.shard->getOrCreateGroup(request.groupId);
    g.join(std::move(params), std::move(reply));
    m_coordinator.persistIfNeeded(l.partition, g);
    m_coordinator.dropIfUnused(*l.shard, request.groupId);
}

void GroupHandler::syncGroup(RequestInfo info, SyncGroupRequest request)
{
    auto reply = [info](group::SyncResult r) mutable {
        SyncGroupResponse response;
        response.errorCode = toWire(r.error);
        response.protocolType = std::move(r.protocolType);
        response.protocolName = std::move(r.protocolName);
        response.assignment = std::move(r.assignment);
        info.reply(response);
    };
    if (!allows(info, metadata::AclOperation::Read, request.groupId))
        return reply({.error = ErrorCode::GroupAuthorizationFailed});
    auto l = m_coordinator.lookup(request.groupId);
    if (!l.shard)
        return reply({.error = l.error});
    Group *g = l.shard->group(request.groupId);
    if (!g)
        return reply({.error = ErrorCode::UnknownMemberId});
    group::SyncParams params;
    params.memberId = request.memberId;
    params.groupInstanceId = request.groupInstanceId;
    params.generationId = request.generationId;
    params.protocolType = request.protocolType;
    params.protocolName = request.protocolName;
    for (auto &a : request.assignments)
        params.assignments.emplace_back(std::move(a.memberId), std::move(a.assignment));
    g->sync(std::move(params), std::move(reply));
    m_coordinator.persistIfNeeded(l.partition, *g);
}

void GroupHandler::heartbeat(RequestInfo info, const HeartbeatRequest &request)
{
    HeartbeatResponse response;
    auto l = m_coordinator.lookup(request.groupId);
    if (!allows(info, metadata::AclOperation::Read, request.groupId)) {
        response.errorCode = toWire(ErrorCode::GroupAuthorizationFailed);
    } else if (!l.shard) {
        response.errorCode = toWire(l.error);
    } else if (Group *g = l.shard->group(request.groupId)) {
        response.errorCode = toWire(g->heartbeat(request.memberId, request.groupInstanceId, request.generationId));
        m_coordinator.persistIfNeeded(l.partition, *g);
    } else {
        response.errorCode = toWire(ErrorCode::UnknownMemberId);
    }
    info.reply(response);
}

void GroupHandler::leaveGroup(RequestInfo info, const LeaveGroupRequest &request)
{
    const int16_t version = info.apiVersion();
    LeaveGroupResponse response;
    std::vector<LeaveGroupRequest::Member> members = request.members;
    if (version < 3)
        members = {{request.memberId, std::nullopt}};
    if (!allows(info, metadata::AclOperation::Read, request.groupId)) {
        response.errorCode = toWire(ErrorCode::GroupAuthorizationFailed);
        return info.reply(response);
    }
    auto l = m_coordinator.lookup(request.groupId);
    if (!l.shard) {
        response.errorCode = toWire(l.error);
        return info.reply(response);
    }
    Group *g = l.shard->group(request.groupId);
    for (const auto &m : members) {
        const ErrorCode e = g ? g->leave(m.memberId, m.groupInstanceId) : ErrorCode::UnknownMemberId;
        response.members.push_back({m.memberId, m.groupInstanceId, toWire(e)});
    }
    if (g)
        m_coordinator.persistIfNeeded(l.partition, *g);
    if (version < 3) {
        response.errorCode = response.members.front().errorCode;
        response.members.clear();
    }
    info.reply(response);
}

void GroupHandler::offsetCommit(RequestInfo info, const OffsetCommitRequest &request)
{
    auto response = std::make_shared<OffsetCommitResponse>();
    ErrorCode groupError = ErrorCode::None;
    auto l = m_coordinator.lookup(request.groupId);
    if (!allows(info, metadata::AclOperation::Read, request.groupId))
        groupError = ErrorCode::GroupAuthorizationFailed;
    else if (request.groupId.empty())
        groupError = ErrorCode::InvalidGroupId;
    else if (!l.shard)
        groupError = l.error;
    else if (Group *g = l.shard->group(request.groupId))
        groupError = g->acceptOffsetCommit(request.memberId, request.groupInstanceId, request.generationIdOrMemberEpoch);
    else if (request.generationIdOrMemberEpoch >= 0)
        groupError = ErrorCode::IllegalGeneration;   // a member of a generation this coordinator never had

    const auto image = m_context.image();
    const int64_t now = m_coordinator.wallClockMs();
    struct Pending {
        OffsetCommitResponse::Partition *out;
        group::PartitionKey tp;
        group::CommittedOffset offset;
    };
    std::vector<Pending> pending;
    std::vector<log::Record> records;
    response->topics.reserve(request.topics.size());
    for (const auto &t : request.topics) {
        response->topics.push_back({t.name, {}});
        auto &parts = response->topics.back().partitions;
        parts.reserve(t.partitions.size());
        const metadata::TopicInfo *topic = image->topic(t.name);
        const bool readable = groupError != ErrorCode::None || allowsTopic(info, metadata::AclOperation::Read, t.name);
        for (const auto &p : t.partitions) {
            parts.push_back({p.partitionIndex, 0});
            ErrorCode e = readable ? groupError : ErrorCode::TopicAuthorizationFailed;
            if (e == ErrorCode::None && (!topic || p.partitionIndex < 0 || p.partitionIndex >= int32_t(topic->partitions.size())))
                e = ErrorCode::UnknownTopicOrPartition;
            if (e == ErrorCode::None && p.committedMetadata && p.committedMetadata->size() > kMaxOffsetMetadata)
                e = ErrorCode::OffsetMetadataTooLarge;
            if (e != ErrorCode::None) {
                parts.back().errorCode = toWire(e);
                continue;
            }
            group::CommittedOffset o{p.committedOffset, p.committedLeaderEpoch, p.committedMetadata.value_or(""), now};
            log::Record r;
            r.key = group::encodeOffsetKey(request.groupId, t.name, p.partitionIndex);
            r.value = group::encodeOffsetValue(o);
            records.push_back(std::move(r));
            pending.push_back({&parts.back(), {t.name, p.partitionIndex}, std::move(o)});
        }
    }
    if (records.empty())
        return info.reply(*response);
    const std::string groupId = request.groupId;
    m_coordinator.append(l.partition, std::move(records),
                         [this, info, response, pending = std::move(pending), groupId, l](ErrorCode e) mutable {
                             CoordinatorShard *shard = m_coordinator.shardIfStill(l.partition, l.epoch);
                             if (e == ErrorCode::None && !shard)
                                 e = ErrorCode::NotCoordinator;
                             for (auto &p : pending) {
                                 if (e == ErrorCode::None)
                                     shard->putOffset(groupId, p.tp, std::move(p.offset));
                                 else
                                     p.out->errorCode = toWire(e);
                             }
                             info.reply(*response);
                         });
}

void GroupHandler::offsetFetch(RequestInfo info, const OffsetFetchRequest &request)
{
    const int16_t version = info.apiVersion();
    auto fetchGroup = [&](const std::string &groupId, const std::optional<std::vector<OffsetFetchRequest::Topic>> &topics,
                          std::vector<OffsetFetchResponse::Topic> &out) -> ErrorCode {
        if (!allows(info, metadata::AclOperation::Describe, groupId)) {
            if (version < 2 && topics)   // no group-level error yet: every partition carries it
                for (const auto &t : *topics) {
                    out.push_back({t.name, {}});
                    for (int32_t p : t.partitionIndexes)
                        out.back().partitions.push_back({p, -1, -1, "", toWire(ErrorCode::GroupAuthorizationFailed)});
                }
            return ErrorCode::GroupAuthorizationFailed;
        }
        auto l = m_coordinator.lookup(groupId);
        if (!l.shard) {
            // Before v2 there is no group-level error: every partition carries it.
            if (version < 2 && topics)
                for (const auto &t : *topics) {
                    out.push_back({t.name, {}});
                    for (int32_t p : t.partitionIndexes)
                        out.back().partitions.push_back({p, -1, -1, "", toWire(l.error)});
                }
            return l.error;
        }
        const CoordinatorShard::Offsets *offsets = l.shard->offsets(groupId);
        if (!topics) {
            if (offsets)
                for (const auto &[tp, o] : *offsets) {
                    // Every topic: only those the client may describe, quietly (Kafka's filter).
                    if (!allowsTopic(info, metadata::AclOperation::Describe, tp.first, RequestAuthorizer::Denial::Quiet))
                        continue;
                    if (out.empty() || out.back().name != tp.first)
                        out.push_back({tp.first, {}});
                    out.back().partitions.push_back({tp.second, o.offset, o.leaderEpoch, o.metadata, 0});
                }
            return ErrorCode::None;
        }
        for (const auto &t : *topics) {
            out.push_back({t.name, {}});
            if (!allowsTopic(info, metadata::AclOperation::Describe, t.name)) {
                for (int32_t p : t.partitionIndexes)
                    out.back().partitions.push_back({p, -1, -1, "", toWire(ErrorCode::TopicAuthorizationFailed)});
                continue;
            }
            for (int32_t p : t.partitionIndexes) {
                const group::CommittedOffset *o = l.shard->offset(groupId, {t.name, p});
                if (o)
                    out.back().partitions.push_back({p, o->offset, o->leaderEpoch, o->metadata, 0});
                else
                    out.back().partitions.push_back({p, -1, -1, "", 0});
            }
        }
        return ErrorCode::None;
    };

    OffsetFetchResponse response;
    if (version >= 8) {
        for (const auto &g : request.groups) {
            OffsetFetchResponse::Group out{g.groupId, {}, 0};
            out.errorCode = toWire(fetchGroup(g.groupId, g.topics, out.topics));
            response.groups.push_back(std::move(out));
        }
    } else {
        response.errorCode = toWire(fetchGroup(request.groupId, request.topics, response.topics));
    }
    info.reply(response);
}

void GroupHandler::describeGroups(RequestInfo info, const DescribeGroupsRequest &request)
{
    DescribeGroupsResponse response;
    for (const auto &groupId : request.groups) {
        DescribeGroupsResponse::Group out;
        out.groupId = groupId;
        auto l = m_coordinator.lookup(groupId);
        if (!allows(info, metadata::AclOperation::Describe, groupId)) {
            out.errorCode = toWire(ErrorCode::GroupAuthorizationFailed);
            response.groups.push_back(std::move(out));
            continue;
        }
        if (!l.shard) {
            out.errorCode = toWire(l.error);
            response.groups.push_back(std::move(out));
            continue;
        }
        const Group *g = l.shard->group(groupId);
        if (!g) {
            // Kafka's answer for a group it does not know; one with only offsets is Empty.
            out.groupState = l.shard->offsets(groupId) ? "Empty" : "Dead";
            response.groups.push_back(std::move(out));
            continue;
        }
        const bool stable = g->state() == GroupState::Stable;
        if (request.includeAuthorizedOperations)
            out.authorizedOperations =
                m_context.authorizer.authorizedOperations(info, *m_context.image(), metadata::AclResourceType::Group, groupId);
        out.groupState = group::groupStateName(g->state());
        out.protocolType = g->protocolType();
        out.protocolData = stable ? g->protocolName().value_or("") : "";
        for (const auto &[id, m] : g->members()) {
            DescribeGroupsResponse::Member member;
            member.memberId = id;
            member.groupInstanceId = m.groupInstanceId;
            member.clientId = m.clientId;
            member.clientHost = m.clientHost;
            if (stable) {
                const std::string *metadata = m.metadataFor(g->protocolName().value_or(""));
                member.memberMetadata = metadata ? *metadata : std::string();
                member.memberAssignment = m.assignment;
            }
            out.members.push_back(std::move(member));
        }
        response.groups.push_back(std::move(out));
    }
    info.reply(response);
}

void GroupHandler::listGroups(RequestInfo info, const ListGroupsRequest &request)
{
    std::set<GroupState> filter;
    for (const auto &s : request.statesFilter)
        if (auto state = group::parseGroupState(s))
            filter.insert(*state);
    // KIP-848's type filter: every group here is a classic one (the consumer protocol's groups
    // are not served), so a filter without "classic" (any case, as Kafka parses it) lists none.
    const bool classicListed = request.typesFilter.empty()
        || std::any_of(request.typesFilter.begin(), request.typesFilter.end(), [](const std::string &t) {
               return std::equal(t.begin(), t.end(), kClassicGroupType.begin(), kClassicGroupType.end(),
                                 [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
           });
    ListGroupsResponse response;
    bool loading = false;
    // Kafka: DESCRIBE on the cluster lists every group, else the groups the client may describe.
    const bool everyGroup = m_context.authorizer.allowsCluster(info, *m_context.image(), metadata::AclOperation::Describe,
                                                               RequestAuthorizer::Denial::Quiet);
    for (CoordinatorShard *shard : m_coordinator.loadedShards(&loading)) {
        for (const auto &id : shard->groupIds()) {
            const Group *g = shard->group(id);
            const GroupState state = g ? g->state() : GroupState::Empty;
            if (!classicListed || (!request.statesFilter.empty() && !filter.count(state)))
                continue;
            if (!everyGroup && !allows(info, metadata::AclOperation::Describe, id, RequestAuthorizer::Denial::Quiet))
                continue;
            response.groups.push_back({id, g ? g->protocolType() : std::string(), group::groupStateName(state),
                                       std::string(kClassicGroupType)});
        }
    }
    if (loading)
        response.errorCode = toWire(ErrorCode::CoordinatorLoadInProgress);
    info.reply(response);
}

void GroupHandler::deleteGroups(RequestInfo info, const DeleteGroupsRequest &request)
{
    auto response = std::make_shared<DeleteGroupsResponse>();
    response->results.reserve(request.groupsNames.size());
    auto completion = std::make_shared<int>(0);
    auto finish = [info, response]() mutable { info.reply(*response); };
    std::vector<std::function<void()>> writes;
    for (const auto &groupId : request.groupsNames) {
        response->results.push_back({groupId, 0});
        auto &result = response->results.back();
        if (!allows(info, metadata::AclOperation::Delete, groupId)) {
            result.errorCode = toWire(ErrorCode::GroupAuthorizationFailed);
            continue;
        }
        auto l = m_coordinator.lookup(groupId);
        if (!l.shard) {
            result.errorCode = toWire(l.error);
            continue;
        }
        Group *g = l.shard->group(groupId);
        const CoordinatorShard::Offsets *offsets = l.shard->offsets(groupId);
        if (!g && !offsets) {
            result.errorCode = toWire(ErrorCode::GroupIdNotFound);
            continue;
        }
        if (g && g->state() != GroupState::Empty) {
            result.errorCode = toWire(ErrorCode::NonEmptyGroup);
            continue;
        }
        std::vector<log::Record> tombstones;
        if (offsets)
            for (const auto &[tp, o] : *offsets) {
                log::Record r;
                r.key = group::encodeOffsetKey(groupId, tp.first, tp.second);
                tombstones.push_back(std::move(r));
            }
        log::Record r;
        r.key = group::encodeGroupKey(groupId);
        tombstones.push_back(std::move(r));
        if (g)
            g->markDead(ErrorCode::CoordinatorNotAvailable);
        l.shard->removeGroup(groupId);
        l.shard->removeOffsets(groupId);
        const size_t index = response->results.size() - 1;
        ++*completion;
        writes.push_back([this, partition = l.partition, tombstones = std::move(tombstones), response, index, completion,
                          finish]() mutable {
            m_coordinator.append(partition, std::move(tombstones), [response, index, completion, finish](ErrorCode e) mutable {
                response->results[index].errorCode = toWire(e);
                if (--*completion == 0)
                    finish();
            });
        });
    }
    if (writes.empty())
        return finish();
    for (auto &w : writes)
        w();
}

void GroupHandler::offsetDelete(RequestInfo info, const OffsetDeleteRequest &request)
{
    auto response = std::make_shared<OffsetDeleteResponse>();
    if (!allows(info, metadata::AclOperation::Delete, request.groupId)) {
        response->errorCode = toWire(ErrorCode::GroupAuthorizationFailed);
        return info.reply(*response);
    }
    auto l = m_coordinator.lookup(request.groupId);
    if (!l.shard) {
        response->errorCode = toWire(l.error);
        return info.reply(*response);
    }
    Group *g = l.shard->group(request.groupId);
    if (!g && !l.shard->offsets(request.groupId)) {
        response->errorCode = toWire(ErrorCode::GroupIdNotFound);
        return info.reply(*response);
    }
    const bool hasMembers = g && !g->members().empty();
    if (hasMembers && g->protocolType() != "consumer") {
        response->errorCode = toWire(ErrorCode::NonEmptyGroup);
        return info.reply(*response);
    }
    const std::set<std::string> subscribed = hasMembers ? g->subscribedTopics() : std::set<std::string>{};
    std::vector<log::Record> tombstones;
    std::vector<group::PartitionKey> removed;
    for (const auto &t : request.topics) {
        response->topics.push_back({t.name, {}});
        const bool readable = allowsTopic(info, metadata::AclOperation::Read, t.name);
        for (const auto &p : t.partitions) {
            int16_t e = 0;
            if (!readable) {
                e = toWire(ErrorCode::TopicAuthorizationFailed);
            } else if (subscribed.count(t.name)) {
                e = toWire(ErrorCode::GroupSubscribedToTopic);
            } else if (l.shard->offset(request.groupId, {t.name, p.partitionIndex})) {
                log::Record r;
                r.key = group::encodeOffsetKey(request.groupId, t.name, p.partitionIndex);
                tombstones.push_back(std::move(r));
                removed.push_back({t.name, p.partitionIndex});
            }
            response->topics.back().partitions.push_back({p.partitionIndex, e});
        }
    }
    for (const auto &tp : removed)
        l.shard->removeOffset(request.groupId, tp);
    m_coordinator.append(l.partition, std::move(tombstones), [info, response](ErrorCode e) mutable {
        if (e != ErrorCode::None)
            response->errorCode = toWire(e);
        info.reply(*response);
    });
}

} // namespace skiff::kafka
