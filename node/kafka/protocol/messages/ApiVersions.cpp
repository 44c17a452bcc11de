#include "kafka/protocol/messages/ApiVersions.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, ApiVersionsRequest &m, int16_t v)
{
    if (v >= 3) {
        io.string(m.clientSoftwareName);
        io.string(m.clientSoftwareVersion);
    }
    io.noTags();
}

template <class IO>
void serde(IO &io, ApiVersionsResponse &m, int16_t v)
{
    io.i16(m.errorCode);
    io.array(m.apiKeys, [](auto &io, ApiVersionsResponse::ApiVersion &a) {
        io.i16(a.apiKey);
        io.i16(a.minVersion);
        io.i16(a.maxVersion);
        io.noTags();
    });
    if (v >= 1)
        io.i32(m.throttleTimeMs);
    io.tags([&](auto &t) {
        t.field(0, !m.supportedFeatures.empty(), [&](auto &io) {
            io.array(m.supportedFeatures, [](auto &io, ApiVersionsResponse::SupportedFeature &f) {
                io.string(f.name);
                io.i16(f.minVersion);
                io.i16(f.maxVersion);
                io.noTags();
            });
        });
        t.field(1, m.finalizedFeaturesEpoch != -1, [&](auto &io) { io.i64(m.finalizedFeaturesEpoch); });
        t.field(2, !m.finalizedFeatures.empty(), [&](auto &io) {
            io.array(m.finalizedFeatures, [](auto &io, ApiVersionsResponse::FinalizedFeature &f) {
                io.string(f.name);
                io.i16(f.maxVersionLevel);
                io.i16(f.minVersionLevel);
                io.noTags();
            });
        });
        t.field(3, m.zkMigrationReady, [&](auto &io) { io.boolean(m.zkMigrationReady); });
    });
}

std::vector<ApiVersionsResponse::ApiVersion> advertisedApiVersions()
{
    std::vector<ApiVersionsResponse::ApiVersion> out;
    for (const ApiInfo &api : allApis())
        if (api.advertised)
            out.push_back({static_cast<int16_t>(api.key), api.minVersion, api.maxVersion});
    return out;
}

ApiVersionsResponse unsupportedVersionApiVersionsResponse()
{
    ApiVersionsResponse r;
    r.errorCode = toWire(ErrorCode::UnsupportedVersion);
    r.apiKeys = advertisedApiVersions();
    return r;
}

SKIFF_KAFKA_MESSAGE(ApiVersionsRequest)
SKIFF_KAFKA_MESSAGE(ApiVersionsResponse)

} // namespace skiff::kafka
