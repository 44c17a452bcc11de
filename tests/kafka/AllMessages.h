#pragma once
// Type lists over every message the codec defines, for tests that must cover all of them.

#include "kafka/protocol/Requests.h"
#include "kafka/protocol/ResponseFrame.h"

#include <tuple>
#include <utility>

namespace skiff::kafka::test {

using AllRequests = std::tuple<ApiVersionsRequest, MetadataRequest, ProduceRequest, FetchRequest, ListOffsetsRequest,
                               CreateTopicsRequest, DeleteTopicsRequest, CreatePartitionsRequest,
                               DescribeConfigsRequest, DescribeClusterRequest, InitProducerIdRequest,
                               AlterConfigsRequest, IncrementalAlterConfigsRequest,
                               FindCoordinatorRequest, JoinGroupRequest, SyncGroupRequest, HeartbeatRequest,
                               LeaveGroupRequest, OffsetCommitRequest, OffsetFetchRequest, DescribeGroupsRequest,
                               ListGroupsRequest, DeleteGroupsRequest, OffsetDeleteRequest,
                               OffsetForLeaderEpochRequest, ElectLeadersRequest, DescribeLogDirsRequest,
                               DescribeProducersRequest, DeleteRecordsRequest, DescribeAclsRequest,
                               CreateAclsRequest, DeleteAclsRequest, DescribeClientQuotasRequest,
                               AlterClientQuotasRequest, DescribeUserScramCredentialsRequest,
                               AlterUserScramCredentialsRequest, DescribeQuorumRequest, SaslHandshakeRequest,
                               SaslAuthenticateRequest>;
using AllResponses = std::tuple<ApiVersionsResponse, MetadataResponse, ProduceResponse, FetchResponse,
                                ListOffsetsResponse, CreateTopicsResponse, DeleteTopicsResponse,
                                CreatePartitionsResponse, DescribeConfigsResponse, DescribeClusterResponse,
                                AlterConfigsResponse, IncrementalAlterConfigsResponse,
                                InitProducerIdResponse, FindCoordinatorResponse, JoinGroupResponse,
                                SyncGroupResponse, HeartbeatResponse, LeaveGroupResponse, OffsetCommitResponse,
                                OffsetFetchResponse, DescribeGroupsResponse, ListGroupsResponse,
                                DeleteGroupsResponse, OffsetDeleteResponse,
                                OffsetForLeaderEpochResponse, ElectLeadersResponse, DescribeLogDirsResponse,
                                DescribeProducersResponse, DeleteRecordsResponse, DescribeAclsResponse,
                                CreateAclsResponse, DeleteAclsResponse, DescribeClientQuotasResponse,
                                AlterClientQuotasResponse, DescribeUserScramCredentialsResponse,
                                AlterUserScramCredentialsResponse, DescribeQuorumResponse, SaslHandshakeResponse,
                                SaslAuthenticateResponse>;

// Calls f(M{}) once per type of the tuple. Each message is made on its own: a default-made tuple
// of them all trips GCC 12's -Wmaybe-uninitialized on a disengaged std::optional member.
template <class Tuple, class F>
void forEachType(F &&f)
{
    [&]<size_t... I>(std::index_sequence<I...>) {
        (f(std::tuple_element_t<I, Tuple>{}), ...);
    }(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}

} // namespace skiff::kafka::test
