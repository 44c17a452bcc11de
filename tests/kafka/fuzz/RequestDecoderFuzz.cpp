// libFuzzer harness for the Kafka request decoder (built by run-fuzz.sh, not by CMake).
//
// For every input: decodeRequest must return (error or value) without UB. A successfully decoded
// request is re-encoded; the re-encoding must decode to the same header and body and encode to
// the same bytes again, so any asymmetry between reader and writer is a finding.
//
// With SKIFF_FUZZ_WRITE_SEEDS=<dir> the binary instead writes a seed corpus (one frame per
// request type and version, populated and default) and exits.

#include "kafka/protocol/Codec.h"
#include "kafka/protocol/Requests.h"
#include "kafka/protocol/ResponseFrame.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <tuple>

using namespace skiff::kafka;

namespace {

using SeedRequests = std::tuple<ApiVersionsRequest, MetadataRequest, ProduceRequest, FetchRequest, ListOffsetsRequest,
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

void writeSeed(const std::string &dir, const std::string &name, const std::string &bytes)
{
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
}

void writeSeeds(const std::string &dir)
{
    int count = 0;
    std::apply(
        [&](auto... proto) {
            auto one = [&](auto m) {
                using M = decltype(m);
                const ApiInfo *api = findApi(M::kApiKey);
                for (int16_t v = api->minVersion; v <= api->maxVersion; ++v) {
                    const RequestHeader h{static_cast<int16_t>(M::kApiKey), v, 1, "fuzz"};
                    std::string empty;
                    encodeRequest(empty, h, M{});
                    M full;
                    populateAllFields(full, v);
                    std::string populated;
                    encodeRequest(populated, h, full);
                    const std::string base = std::string(M::kName) + "-v" + std::to_string(v);
                    writeSeed(dir, base + "-empty", empty);
                    writeSeed(dir, base + "-full", populated);
                    count += 2;
                }
            };
            (one(proto), ...);
        },
        SeedRequests{});
    std::printf("wrote %d seeds to %s\n", count, dir.c_str());
}

[[noreturn]] void finding(const char *what)
{
    std::fprintf(stderr, "FINDING: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    if (const char *dir = std::getenv("SKIFF_FUZZ_WRITE_SEEDS")) {
        writeSeeds(dir);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view frame(reinterpret_cast<const char *>(data), size);
    skiff::Result<DecodedRequest> decoded = decodeRequest(frame);
    if (!decoded.isOk())
        return 0;
    if (!decoded->isSupported()) {
        std::string answer;
        encodeUnsupportedApiVersionsFrame(answer, decoded->header.correlationId);
        return 0;
    }
    std::string once;
    encodeRequest(once, decoded->header, decoded->body);
    skiff::Result<DecodedRequest> again = decodeRequest(once);
    if (!again.isOk())
        finding(("re-encoded request does not decode: " + again.status().toString()).c_str());
    if (!(again->header == decoded->header))
        finding("header changed across re-encoding");
    if (!(again->body == decoded->body))
        finding("body changed across re-encoding");
    std::string twice;
    encodeRequest(twice, again->header, again->body);
    if (twice != once)
        finding("encoding is not stable");
    return 0;
}
