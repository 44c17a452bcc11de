#include "kafka/protocol/messages/CreatePartitions.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, CreatePartitionsRequest &m, int16_t)
{
    io.array(m.topics, [](auto &io, CreatePartitionsRequest::Topic &t) {
        io.string(t.name);
        io.i32(t.count);
        io.nullableArray(t.assignments, true, [](auto &io, CreatePartitionsRequest::Assignment &a) {
            io.int32Array(a.brokerIds);
            io.noTags();
        });
        io.noTags();
    });
    io.i32(m.timeoutMs);
    io.boolean(m.validateOnly);
    io.noTags();
}

template <class IO>
void serde(IO &io, CreatePartitionsResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.array(m.results, [](auto &io, CreatePartitionsResponse::TopicResult &r) {
        io.string(r.name);
        io.i16(r.errorCode);
        io.nullableString(r.errorMessage);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(CreatePartitionsRequest)
SKIFF_KAFKA_MESSAGE(CreatePartitionsResponse)

} // namespace skiff::kafka
