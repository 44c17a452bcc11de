#include "admin/AdminProtocol.h"

namespace skiff::admin {

const char *requestKindName(const Request &request)
{
    switch (request.body_case()) {
    case Request::kGetStatus: return "get_status";
    case Request::kSubscribe: return "subscribe";
    case Request::kDescribeRaft: return "describe_raft";
    case Request::kListBrokers: return "list_brokers";
    case Request::kListTopics: return "list_topics";
    case Request::kDescribePartitions: return "describe_partitions";
    case Request::kGetLockStats: return "get_lock_stats";
    case Request::kTransferLeader: return "transfer_leader";
    case Request::kAddNode: return "add_node";
    case Request::kRemoveNode: return "remove_node";
    case Request::kCreateTopic: return "create_topic";
    case Request::kDeleteTopic: return "delete_topic";
    case Request::kElectLeaders: return "elect_leaders";
    case Request::kGetEvents: return "get_events";
    case Request::kDescribeGroups: return "describe_groups";
    case Request::kListScramUsers: return "list_scram_users";
    case Request::kSetScramUser: return "set_scram_user";
    case Request::kDeleteScramUser: return "delete_scram_user";
    case Request::kListAcls: return "list_acls";
    case Request::kAddAcls: return "add_acls";
    case Request::kRemoveAcls: return "remove_acls";
    case Request::BODY_NOT_SET: return "none";
    }
    return "unknown";
}

bool isMutating(const Request &request)
{
    switch (request.body_case()) {
    case Request::kTransferLeader:
    case Request::kAddNode:
    case Request::kRemoveNode:
    case Request::kCreateTopic:
    case Request::kDeleteTopic:
    case Request::kElectLeaders:
    case Request::kSetScramUser:
    case Request::kDeleteScramUser:
    case Request::kAddAcls:
    case Request::kRemoveAcls:
        return true;
    default:
        return false;
    }
}

const char *partitionStateText(PartitionState state)
{
    switch (state) {
    case PARTITION_STATE_OK: return "ok";
    case PARTITION_STATE_OFFLINE: return "offline";
    case PARTITION_STATE_STORAGE_OFFLINE: return "storage-offline";
    default: return "unknown";
    }
}

const char *eventKindName(EventKind kind)
{
    switch (kind) {
    case EVENT_KIND_LEADER: return "leader";
    case EVENT_KIND_ROLE: return "role";
    case EVENT_KIND_TERM: return "term";
    case EVENT_KIND_ELECTION: return "election";
    case EVENT_KIND_BROKER_REGISTERED: return "broker-registered";
    case EVENT_KIND_BROKER_FENCED: return "broker-fenced";
    case EVENT_KIND_BROKER_UNFENCED: return "broker-unfenced";
    case EVENT_KIND_CONFIGURATION: return "configuration";
    case EVENT_KIND_LINK_UP: return "link-up";
    case EVENT_KIND_LINK_DOWN: return "link-down";
    case EVENT_KIND_LINK_REFUSED: return "link-refused";
    case EVENT_KIND_HALTED: return "halted";
    case EVENT_KIND_WATCHDOG_STALL: return "watchdog-stall";
    case EVENT_KIND_WATCHDOG_MISS: return "watchdog-miss";
    case EVENT_KIND_LOCK_ORDER_INVERSION: return "lock-order-inversion";
    case EVENT_KIND_SELF_DEADLOCK: return "self-deadlock";
    case EVENT_KIND_PARTITION_OFFLINE: return "partition-offline";
    case EVENT_KIND_PARTITION_ONLINE: return "partition-online";
    case EVENT_KIND_LEADER_ELECTED: return "leader-elected";
    case EVENT_KIND_ISR_CHANGED: return "isr-changed";
    case EVENT_KIND_TOPIC_CREATED: return "topic-created";
    case EVENT_KIND_TOPIC_DELETED: return "topic-deleted";
    case EVENT_KIND_PARTITIONS_CREATED: return "partitions-created";
    default: return "unspecified";
    }
}

} // namespace skiff::admin
