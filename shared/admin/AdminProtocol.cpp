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

} // namespace skiff::admin
