#pragma once
// Type lists over every message the codec defines, for tests that must cover all of them.

#include "kafka/protocol/Requests.h"
#include "kafka/protocol/ResponseFrame.h"

#include <tuple>

namespace skiff::kafka::test {

using AllRequests = std::tuple<ApiVersionsRequest, MetadataRequest, ProduceRequest, FetchRequest, ListOffsetsRequest,
                               CreateTopicsRequest, DeleteTopicsRequest, CreatePartitionsRequest,
                               DescribeConfigsRequest, DescribeClusterRequest, InitProducerIdRequest,
                               AlterConfigsRequest, IncrementalAlterConfigsRequest,
                               FindCoordinatorRequest, JoinGroupRequest, SyncGroupRequest, HeartbeatRequest,
                               LeaveGroupRequest, OffsetCommitRequest, OffsetFetchRequest, DescribeGroupsRequest,
                               ListGroupsRequest, DeleteGroupsRequest, OffsetDeleteRequest,
                               OffsetForLeaderEpochRequest, ElectLeadersRequest>;
using AllResponses = std::tuple<ApiVersionsResponse, MetadataResponse, ProduceResponse, FetchResponse,
                                ListOffsetsResponse, CreateTopicsResponse, DeleteTopicsResponse,
                                CreatePartitionsResponse, DescribeConfigsResponse, DescribeClusterResponse,
                                AlterConfigsResponse, IncrementalAlterConfigsResponse,
                                InitProducerIdResponse, FindCoordinatorResponse, JoinGroupResponse,
                                SyncGroupResponse, HeartbeatResponse, LeaveGroupResponse, OffsetCommitResponse,
                                OffsetFetchResponse, DescribeGroupsResponse, ListGroupsResponse,
                                DeleteGroupsResponse, OffsetDeleteResponse,
                                OffsetForLeaderEpochResponse, ElectLeadersResponse>;

// Calls f(M{}) once per type of the tuple.
template <class Tuple, class F>
void forEachType(F &&f)
{
    std::apply([&](auto... m) { (f(m), ...); }, Tuple{});
}

} // namespace skiff::kafka::test
