#include "kafka/protocol/messages/CreateTopics.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, CreateTopicsRequest &m, int16_t)
{
    io.array(m.topics, [](auto &io, CreateTopicsRequest::Topic &t) {
        io.string(t.name);
        io.i32(t.numPartitions);
        io.i16(t.replicationFactor);
        io.array(t.assignments, [](auto &io, CreateTopicsRequest::Assignment &a) {
            io.i32(a.partitionIndex);
            io.int32Array(a.brokerIds);
            io.noTags();
        });
        io.array(t.configs, [](auto &io, CreateTopicsRequest::Config &c) {
            io.string(c.name);
            io.nullableString(c.value);
            io.noTags();
        });
        io.noTags();
    });
    io.i32(m.timeoutMs);
    io.boolean(m.validateOnly);
    io.noTags();
}

template <class IO>
void serde(IO &io, CreateTopicsResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    io.array(m.topics, [v](auto &io, CreateTopicsResponse::Topic &t) {
        io.string(t.name);
        if (v >= 7)
            io.uuid(t.topicId);
        io.i16(t.errorCode);
        io.nullableString(t.errorMessage);
        if (v >= 5) {
            io.i32(t.numPartitions);
            io.i16(t.replicationFactor);
            io.nullableArray(t.configs, true, [](auto &io, CreateTopicsResponse::Config &c) {
                io.string(c.name);
                io.nullableString(c.value);
                io.boolean(c.readOnly);
                io.i8(c.configSource);
                io.boolean(c.isSensitive);
                io.noTags();
            });
        }
        io.tags([&](auto &tags) {
            tags.field(0, t.topicConfigErrorCode != 0, [&](auto &io) { io.i16(t.topicConfigErrorCode); });
        });
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(CreateTopicsRequest)
SKIFF_KAFKA_MESSAGE(CreateTopicsResponse)

} // namespace skiff::kafka
