#include "kafka/protocol/messages/AlterConfigs.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {
namespace {

template <class IO>
void serdeResults(IO &io, int32_t &throttleTimeMs, std::vector<AlterConfigsResourceResult> &responses)
{
    io.i32(throttleTimeMs);
    io.array(responses, [](auto &io, AlterConfigsResourceResult &r) {
        io.i16(r.errorCode);
        io.nullableString(r.errorMessage);
        io.i8(r.resourceType);
        io.string(r.resourceName);
        io.noTags();
    });
    io.noTags();
}

} // namespace

template <class IO>
void serde(IO &io, AlterConfigsRequest &m, int16_t)
{
    io.array(m.resources, [](auto &io, AlterConfigsRequest::Resource &r) {
        io.i8(r.resourceType);
        io.string(r.resourceName);
        io.array(r.configs, [](auto &io, AlterConfigsRequest::Config &c) {
            io.string(c.name);
            io.nullableString(c.value);
            io.noTags();
        });
        io.noTags();
    });
    io.boolean(m.validateOnly);
    io.noTags();
}

template <class IO>
void serde(IO &io, AlterConfigsResponse &m, int16_t)
{
    serdeResults(io, m.throttleTimeMs, m.responses);
}

template <class IO>
void serde(IO &io, IncrementalAlterConfigsRequest &m, int16_t)
{
    io.array(m.resources, [](auto &io, IncrementalAlterConfigsRequest::Resource &r) {
        io.i8(r.resourceType);
        io.string(r.resourceName);
        io.array(r.configs, [](auto &io, IncrementalAlterConfigsRequest::Config &c) {
            io.string(c.name);
            io.i8(c.configOperation);
            io.nullableString(c.value);
            io.noTags();
        });
        io.noTags();
    });
    io.boolean(m.validateOnly);
    io.noTags();
}

template <class IO>
void serde(IO &io, IncrementalAlterConfigsResponse &m, int16_t)
{
    serdeResults(io, m.throttleTimeMs, m.responses);
}

SKIFF_KAFKA_MESSAGE(AlterConfigsRequest)
SKIFF_KAFKA_MESSAGE(AlterConfigsResponse)
SKIFF_KAFKA_MESSAGE(IncrementalAlterConfigsRequest)
SKIFF_KAFKA_MESSAGE(IncrementalAlterConfigsResponse)

} // namespace skiff::kafka
