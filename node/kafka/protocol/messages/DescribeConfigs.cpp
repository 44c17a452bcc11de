#include "kafka/protocol/messages/DescribeConfigs.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DescribeConfigsRequest &m, int16_t v)
{
    io.array(m.resources, [](auto &io, DescribeConfigsRequest::Resource &r) {
        io.i8(r.resourceType);
        io.string(r.resourceName);
        io.nullableArray(r.configurationKeys, true, [](auto &io, std::string &k) { io.string(k); });
        io.noTags();
    });
    if (v >= 1)
        io.boolean(m.includeSynonyms);
    if (v >= 3)
        io.boolean(m.includeDocumentation);
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeConfigsResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    io.array(m.results, [v](auto &io, DescribeConfigsResponse::ResourceResult &r) {
        io.i16(r.errorCode);
        io.nullableString(r.errorMessage);
        io.i8(r.resourceType);
        io.string(r.resourceName);
        io.array(r.configs, [v](auto &io, DescribeConfigsResponse::Config &c) {
            io.string(c.name);
            io.nullableString(c.value);
            io.boolean(c.readOnly);
            if (v == 0)
                io.boolean(c.isDefault);
            if (v >= 1)
                io.i8(c.configSource);
            io.boolean(c.isSensitive);
            if (v >= 1) {
                io.array(c.synonyms, [](auto &io, DescribeConfigsResponse::Synonym &s) {
                    io.string(s.name);
                    io.nullableString(s.value);
                    io.i8(s.source);
                    io.noTags();
                });
            }
            if (v >= 3) {
                io.i8(c.configType);
                io.nullableString(c.documentation);
            }
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeConfigsRequest)
SKIFF_KAFKA_MESSAGE(DescribeConfigsResponse)

} // namespace skiff::kafka
