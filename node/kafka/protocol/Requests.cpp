#include "kafka/protocol/Requests.h"

#include "kafka/protocol/Codec.h"

namespace skiff::kafka {

namespace {

template <class M>
Result<DecodedRequest> decodeBody(const RequestHeader &header, std::string_view frame, size_t bodyOffset)
{
    const std::string_view body = frame.substr(bodyOffset);
    Result<M> m = decodeMessage<M>(body, header.apiVersion, bodyOffset);
    // librdkafka before 2.1.0 (Debian 12 ships 2.0.2) writes the top-level tagged-fields section
    // of flexible ListGroups requests twice, i.e. one extra 0x00 at the end; Kafka brokers do not
    // check for trailing bytes and accept it. Forgive exactly that and nothing else.
    if (!m.isOk() && M::kApiKey == ApiKey::ListGroups && isFlexible(M::kApiKey, header.apiVersion)
        && body.size() >= 2 && body.back() == '\0') {
        Result<M> retry = decodeMessage<M>(body.substr(0, body.size() - 1), header.apiVersion, bodyOffset);
        if (retry.isOk())
            m = std::move(retry);
    }
    if (!m.isOk())
        return m.status().withContext("correlation id " + std::to_string(header.correlationId));
    return DecodedRequest{header, RequestBody(std::move(m).value())};
}

} // namespace

Result<DecodedRequest> decodeRequest(std::string_view frame)
{
    Result<ParsedRequestHeader> parsed = decodeRequestHeader(frame);
    if (!parsed.isOk())
        return parsed.status();
    const RequestHeader &h = parsed->header;
    if (!parsed->supported)
        return DecodedRequest{h, UnsupportedRequest{}};
    const size_t body = parsed->bodyOffset;
    switch (static_cast<ApiKey>(h.apiKey)) {
    case ApiKey::Produce:
        return decodeBody<ProduceRequest>(h, frame, body);
    case ApiKey::Fetch:
        return decodeBody<FetchRequest>(h, frame, body);
    case ApiKey::ListOffsets:
        return decodeBody<ListOffsetsRequest>(h, frame, body);
    case ApiKey::Metadata:
        return decodeBody<MetadataRequest>(h, frame, body);
    case ApiKey::ApiVersions:
        return decodeBody<ApiVersionsRequest>(h, frame, body);
    case ApiKey::CreateTopics:
        return decodeBody<CreateTopicsRequest>(h, frame, body);
    case ApiKey::DeleteTopics:
        return decodeBody<DeleteTopicsRequest>(h, frame, body);
    case ApiKey::InitProducerId:
        return decodeBody<InitProducerIdRequest>(h, frame, body);
    case ApiKey::ElectLeaders:
        return decodeBody<ElectLeadersRequest>(h, frame, body);
    case ApiKey::OffsetForLeaderEpoch:
        return decodeBody<OffsetForLeaderEpochRequest>(h, frame, body);
    case ApiKey::DescribeConfigs:
        return decodeBody<DescribeConfigsRequest>(h, frame, body);
    case ApiKey::CreatePartitions:
        return decodeBody<CreatePartitionsRequest>(h, frame, body);
    case ApiKey::AlterConfigs:
        return decodeBody<AlterConfigsRequest>(h, frame, body);
    case ApiKey::IncrementalAlterConfigs:
        return decodeBody<IncrementalAlterConfigsRequest>(h, frame, body);
    case ApiKey::DescribeCluster:
        return decodeBody<DescribeClusterRequest>(h, frame, body);
    case ApiKey::DescribeLogDirs:
        return decodeBody<DescribeLogDirsRequest>(h, frame, body);
    case ApiKey::DescribeProducers:
        return decodeBody<DescribeProducersRequest>(h, frame, body);
    case ApiKey::DescribeQuorum:
        return decodeBody<DescribeQuorumRequest>(h, frame, body);
    case ApiKey::FindCoordinator:
        return decodeBody<FindCoordinatorRequest>(h, frame, body);
    case ApiKey::JoinGroup:
        return decodeBody<JoinGroupRequest>(h, frame, body);
    case ApiKey::SyncGroup:
        return decodeBody<SyncGroupRequest>(h, frame, body);
    case ApiKey::Heartbeat:
        return decodeBody<HeartbeatRequest>(h, frame, body);
    case ApiKey::LeaveGroup:
        return decodeBody<LeaveGroupRequest>(h, frame, body);
    case ApiKey::OffsetCommit:
        return decodeBody<OffsetCommitRequest>(h, frame, body);
    case ApiKey::OffsetFetch:
        return decodeBody<OffsetFetchRequest>(h, frame, body);
    case ApiKey::DescribeGroups:
        return decodeBody<DescribeGroupsRequest>(h, frame, body);
    case ApiKey::ListGroups:
        return decodeBody<ListGroupsRequest>(h, frame, body);
    case ApiKey::DeleteGroups:
        return decodeBody<DeleteGroupsRequest>(h, frame, body);
    case ApiKey::OffsetDelete:
        return decodeBody<OffsetDeleteRequest>(h, frame, body);
    case ApiKey::DeleteRecords:
        return decodeBody<DeleteRecordsRequest>(h, frame, body);
    case ApiKey::DescribeAcls:
        return decodeBody<DescribeAclsRequest>(h, frame, body);
    case ApiKey::CreateAcls:
        return decodeBody<CreateAclsRequest>(h, frame, body);
    case ApiKey::DeleteAcls:
        return decodeBody<DeleteAclsRequest>(h, frame, body);
    case ApiKey::DescribeClientQuotas:
        return decodeBody<DescribeClientQuotasRequest>(h, frame, body);
    case ApiKey::AlterClientQuotas:
        return decodeBody<AlterClientQuotasRequest>(h, frame, body);
    case ApiKey::DescribeUserScramCredentials:
        return decodeBody<DescribeUserScramCredentialsRequest>(h, frame, body);
    case ApiKey::AlterUserScramCredentials:
        return decodeBody<AlterUserScramCredentialsRequest>(h, frame, body);
    case ApiKey::SaslHandshake:
        return decodeBody<SaslHandshakeRequest>(h, frame, body);
    case ApiKey::SaslAuthenticate:
        return decodeBody<SaslAuthenticateRequest>(h, frame, body);
    }
    // Unreachable while every ApiKeys.h entry has a case above (-Wswitch checks that).
    return DecodedRequest{h, UnsupportedRequest{}};
}

void encodeRequest(std::string &out, const RequestHeader &header, const RequestBody &body)
{
    std::visit(
        [&](const auto &m) {
            using M = std::decay_t<decltype(m)>;
            if constexpr (!std::is_same_v<M, UnsupportedRequest>) {
                RequestHeader h = header;
                h.apiKey = static_cast<int16_t>(M::kApiKey);
                encodeRequestHeader(out, h);
                encodeMessage(out, m, h.apiVersion);
            }
        },
        body);
}

} // namespace skiff::kafka
