#pragma once
// Complete response frames: int32 size + response header (the version that goes with the
// request's api and version, see ApiKeys.h) + body encoded in the request's version.
// Forward declarations only, so handlers include just the message headers they use.

#include "kafka/protocol/Codec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct RequestHeader;
struct ApiVersionsResponse;
struct MetadataResponse;
struct ProduceResponse;
struct FetchResponse;
struct ListOffsetsResponse;
struct CreateTopicsResponse;
struct DeleteTopicsResponse;
struct CreatePartitionsResponse;
struct DescribeConfigsResponse;
struct AlterConfigsResponse;
struct IncrementalAlterConfigsResponse;
struct DescribeClusterResponse;
struct InitProducerIdResponse;
struct OffsetForLeaderEpochResponse;
struct ElectLeadersResponse;
struct DescribeLogDirsResponse;
struct DescribeProducersResponse;
struct DescribeQuorumResponse;
struct FindCoordinatorResponse;
struct JoinGroupResponse;
struct SyncGroupResponse;
struct HeartbeatResponse;
struct LeaveGroupResponse;
struct OffsetCommitResponse;
struct OffsetFetchResponse;
struct DescribeGroupsResponse;
struct ListGroupsResponse;
struct DeleteGroupsResponse;
struct OffsetDeleteResponse;
struct DeleteRecordsResponse;
struct DescribeAclsResponse;
struct CreateAclsResponse;
struct DeleteAclsResponse;
struct DescribeClientQuotasResponse;
struct AlterClientQuotasResponse;
struct DescribeUserScramCredentialsResponse;
struct AlterUserScramCredentialsResponse;
struct SaslHandshakeResponse;
struct SaslAuthenticateResponse;

// A response frame on its way to the socket: `head` holds all its bytes but the spliced ones (a
// fetch response's records, moved into it rather than copied), each of which belongs at its `at`
// in `head`, in order.
struct OutgoingFrame {
    std::string head;
    std::vector<SplicedBytes> splices;

    OutgoingFrame() = default;
    OutgoingFrame(std::string bytes) : head(std::move(bytes)) {}   // NOLINT: a whole frame is one

    size_t size() const;
    bool empty() const { return head.empty() && splices.empty(); }
    std::string flattened() const;   // the frame in one string
};

// Encodes a fetch response with its records spliced (see encodeMessageSpliced); `response` is
// left without them.
void encodeResponseFrame(OutgoingFrame &out, const RequestHeader &request, FetchResponse &&response);

// Each appends one frame answering `request` (its correlation id and api version are used).
// An ApiVersions request with an unsupported version is answered in the v0 layout.
void encodeResponseFrame(std::string &out, const RequestHeader &request, const ApiVersionsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const MetadataResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const ProduceResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const FetchResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const ListOffsetsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const CreateTopicsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DeleteTopicsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const CreatePartitionsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeConfigsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const AlterConfigsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const IncrementalAlterConfigsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeClusterResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const InitProducerIdResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const OffsetForLeaderEpochResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const ElectLeadersResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeLogDirsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeProducersResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeQuorumResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const FindCoordinatorResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const JoinGroupResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const SyncGroupResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const HeartbeatResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const LeaveGroupResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const OffsetCommitResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const OffsetFetchResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeGroupsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const ListGroupsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DeleteGroupsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const OffsetDeleteResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DeleteRecordsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeAclsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const CreateAclsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DeleteAclsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeClientQuotasResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const AlterClientQuotasResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const DescribeUserScramCredentialsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const AlterUserScramCredentialsResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const SaslHandshakeResponse &response);
void encodeResponseFrame(std::string &out, const RequestHeader &request, const SaslAuthenticateResponse &response);

// The frame Kafka sends for an ApiVersions request whose version it does not support:
// response header v0 + ApiVersionsResponse v0 {UNSUPPORTED_VERSION, advertised ranges}.
void encodeUnsupportedApiVersionsFrame(std::string &out, int32_t correlationId);

} // namespace skiff::kafka
