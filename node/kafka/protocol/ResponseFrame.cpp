#include "kafka/protocol/ResponseFrame.h"

#include "kafka/protocol/ByteWriter.h"
#include "kafka/protocol/Codec.h"
#include "kafka/protocol/Requests.h"

namespace skiff::kafka {

namespace {

// Appends the size prefix and the response header of M's api in `version`, then the body that
// `encodeBody(out)` writes; it returns how many of the body's bytes it left out of `out`
// (spliced), which the size counts too.
template <class M, class EncodeBody>
void encodeFrameWith(std::string &out, int32_t correlationId, int16_t version, EncodeBody encodeBody)
{
    const size_t start = out.size();
    out.append(4, '\0');
    encodeResponseHeader(out, correlationId, responseHeaderVersion(M::kApiKey, version));
    const size_t splicedBytes = encodeBody(out);
    ByteWriter(out).patchInt32(start, static_cast<int32_t>(out.size() - start - 4 + splicedBytes));
}

template <class M>
void encodeFrame(std::string &out, int32_t correlationId, int16_t version, const M &m)
{
    encodeFrameWith<M>(out, correlationId, version, [&](std::string &body) {
        encodeMessage(body, m, version);
        return size_t(0);
    });
}

} // namespace

size_t OutgoingFrame::size() const
{
    size_t n = head.size();
    for (const SplicedBytes &s : splices)
        n += s.bytes.size();
    return n;
}

std::string OutgoingFrame::flattened() const
{
    std::string out;
    out.reserve(size());
    size_t from = 0;
    for (const SplicedBytes &s : splices) {
        out.append(head, from, s.at - from);
        out.append(s.bytes);
        from = s.at;
    }
    out.append(head, from, std::string::npos);
    return out;
}

void encodeResponseFrame(OutgoingFrame &out, const RequestHeader &request, FetchResponse &&response)
{
    encodeFrameWith<FetchResponse>(out.head, request.correlationId, request.apiVersion, [&](std::string &body) {
        const size_t splicesBefore = out.splices.size();
        encodeMessageSpliced(body, out.splices, response, request.apiVersion);
        size_t spliced = 0;
        for (size_t i = splicesBefore; i < out.splices.size(); ++i)
            spliced += out.splices[i].bytes.size();
        return spliced;
    });
}

void encodeResponseFrame(std::string &out, const RequestHeader &request, const ApiVersionsResponse &response)
{
    const bool supported = isSupportedVersion(request.apiKey, request.apiVersion);
    encodeFrame(out, request.correlationId, supported ? request.apiVersion : int16_t(0), response);
}

void encodeUnsupportedApiVersionsFrame(std::string &out, int32_t correlationId)
{
    encodeFrame(out, correlationId, 0, unsupportedVersionApiVersionsResponse());
}

#define SKIFF_KAFKA_RESPONSE_FRAME(Type)                                                           \
    void encodeResponseFrame(std::string &out, const RequestHeader &request, const Type &response) \
    {                                                                                              \
        encodeFrame(out, request.correlationId, request.apiVersion, response);                     \
    }

SKIFF_KAFKA_RESPONSE_FRAME(MetadataResponse)
SKIFF_KAFKA_RESPONSE_FRAME(ProduceResponse)
SKIFF_KAFKA_RESPONSE_FRAME(FetchResponse)
SKIFF_KAFKA_RESPONSE_FRAME(ListOffsetsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(CreateTopicsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DeleteTopicsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(CreatePartitionsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeConfigsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(AlterConfigsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(IncrementalAlterConfigsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeClusterResponse)
SKIFF_KAFKA_RESPONSE_FRAME(InitProducerIdResponse)
SKIFF_KAFKA_RESPONSE_FRAME(OffsetForLeaderEpochResponse)
SKIFF_KAFKA_RESPONSE_FRAME(ElectLeadersResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeLogDirsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeProducersResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeQuorumResponse)
SKIFF_KAFKA_RESPONSE_FRAME(FindCoordinatorResponse)
SKIFF_KAFKA_RESPONSE_FRAME(JoinGroupResponse)
SKIFF_KAFKA_RESPONSE_FRAME(SyncGroupResponse)
SKIFF_KAFKA_RESPONSE_FRAME(HeartbeatResponse)
SKIFF_KAFKA_RESPONSE_FRAME(LeaveGroupResponse)
SKIFF_KAFKA_RESPONSE_FRAME(OffsetCommitResponse)
SKIFF_KAFKA_RESPONSE_FRAME(OffsetFetchResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeGroupsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(ListGroupsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DeleteGroupsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(OffsetDeleteResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DeleteRecordsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeAclsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(CreateAclsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DeleteAclsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeClientQuotasResponse)
SKIFF_KAFKA_RESPONSE_FRAME(AlterClientQuotasResponse)
SKIFF_KAFKA_RESPONSE_FRAME(DescribeUserScramCredentialsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(AlterUserScramCredentialsResponse)
SKIFF_KAFKA_RESPONSE_FRAME(SaslHandshakeResponse)
SKIFF_KAFKA_RESPONSE_FRAME(SaslAuthenticateResponse)

} // namespace skiff::kafka
