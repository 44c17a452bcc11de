#pragma once
// Top level used by the broker's connection code: one request frame in, header + typed body out.
//
//   Result<DecodedRequest> r = decodeRequest(frame);   // frame = bytes after the int32 size
//   - error: the frame is unusable (shorter than api key + version + correlation id, or a
//     supported request whose header/body is malformed or has trailing bytes). Kafka closes the
//     connection in that case; the message names api, version, correlation id and offset.
//   - ok, body holds UnsupportedRequest: api key unknown to Skiff or version outside the range
//     of ApiKeys.h. header is filled (client id best effort). For ApiVersions answer with
//     encodeUnsupportedApiVersionsFrame() (ResponseFrame.h); for other APIs close the connection
//     (what Kafka does: clients only send versions the broker advertised).
//   - ok, body holds XxxRequest: dispatch with std::visit or std::get_if, answer with
//     encodeResponseFrame(out, r->header, XxxResponse{...}).
//     An API ApiVersions does not advertise (ApiInfo::advertised) is treated by the broker like
//     UnsupportedRequest.
//
// Memory: no length is trusted before it is checked against the bytes left, but every decoded
// element still costs more memory than its wire bytes (up to ~40x for arrays of empty strings),
// so the connection layer must cap the frame size before calling this.

#include "kafka/protocol/RequestHeader.h"
#include "kafka/protocol/messages/Acls.h"
#include "kafka/protocol/messages/ApiVersions.h"
#include "kafka/protocol/messages/ClientQuotas.h"
#include "kafka/protocol/messages/DeleteRecords.h"
#include "kafka/protocol/messages/Sasl.h"
#include "kafka/protocol/messages/ScramCredentials.h"
#include "kafka/protocol/messages/AlterConfigs.h"
#include "kafka/protocol/messages/CreatePartitions.h"
#include "kafka/protocol/messages/CreateTopics.h"
#include "kafka/protocol/messages/DeleteTopics.h"
#include "kafka/protocol/messages/DescribeCluster.h"
#include "kafka/protocol/messages/DescribeConfigs.h"
#include "kafka/protocol/messages/DescribeLogDirs.h"
#include "kafka/protocol/messages/DescribeProducers.h"
#include "kafka/protocol/messages/DescribeQuorum.h"
#include "kafka/protocol/messages/Fetch.h"
#include "kafka/protocol/messages/InitProducerId.h"
#include "kafka/protocol/messages/ListOffsets.h"
#include "kafka/protocol/messages/Metadata.h"
#include "kafka/protocol/messages/Produce.h"
#include "kafka/protocol/messages/FindCoordinator.h"
#include "kafka/protocol/messages/JoinGroup.h"
#include "kafka/protocol/messages/SyncGroup.h"
#include "kafka/protocol/messages/Heartbeat.h"
#include "kafka/protocol/messages/LeaveGroup.h"
#include "kafka/protocol/messages/OffsetCommit.h"
#include "kafka/protocol/messages/OffsetFetch.h"
#include "kafka/protocol/messages/DescribeGroups.h"
#include "kafka/protocol/messages/ListGroups.h"
#include "kafka/protocol/messages/DeleteGroups.h"
#include "kafka/protocol/messages/OffsetDelete.h"
#include "kafka/protocol/messages/OffsetForLeaderEpoch.h"
#include "kafka/protocol/messages/ElectLeaders.h"

#include <string>
#include <string_view>
#include <variant>

namespace skiff::kafka {

// Marker: the request's api key or version is not supported; only the header was decoded.
struct UnsupportedRequest {
    bool operator==(const UnsupportedRequest &) const = default;
};

using RequestBody = std::variant<UnsupportedRequest, ProduceRequest, FetchRequest, ListOffsetsRequest,
                                 MetadataRequest, ApiVersionsRequest, CreateTopicsRequest,
                                 DeleteTopicsRequest, InitProducerIdRequest, DescribeConfigsRequest,
                                 CreatePartitionsRequest, DescribeClusterRequest, AlterConfigsRequest,
                                 IncrementalAlterConfigsRequest, OffsetForLeaderEpochRequest,
                                 ElectLeadersRequest, DescribeLogDirsRequest, DescribeProducersRequest,
                                 DeleteRecordsRequest,
                                 // Security and quotas: answered as a broker without those features.
                                 DescribeAclsRequest, CreateAclsRequest, DeleteAclsRequest,
                                 DescribeClientQuotasRequest, AlterClientQuotasRequest,
                                 DescribeUserScramCredentialsRequest, AlterUserScramCredentialsRequest,
                                 DescribeQuorumRequest,
                                 // SASL: answered by the connection while it authenticates.
                                 SaslHandshakeRequest, SaslAuthenticateRequest,
                                 // Consumer groups.
                                 FindCoordinatorRequest, JoinGroupRequest, SyncGroupRequest, HeartbeatRequest,
                                 LeaveGroupRequest, OffsetCommitRequest, OffsetFetchRequest, DescribeGroupsRequest,
                                 ListGroupsRequest, DeleteGroupsRequest, OffsetDeleteRequest>;

struct DecodedRequest {
    RequestHeader header;
    RequestBody body;

    bool isSupported() const { return !std::holds_alternative<UnsupportedRequest>(body); }
};

Result<DecodedRequest> decodeRequest(std::string_view frameWithoutSizePrefix);

// Client side / tests: appends header + body without a size prefix (the inverse of
// decodeRequest). The api key written is the body's; header.apiVersion selects the layout.
// Writes nothing for UnsupportedRequest.
void encodeRequest(std::string &out, const RequestHeader &header, const RequestBody &body);

} // namespace skiff::kafka
