#include "kafka/protocol/messages/DeleteTopics.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DeleteTopicsRequest &m, int16_t v)
{
    if (v >= 6) {
        io.array(m.topics, [](auto &io, DeleteTopicsRequest::Topic &t) {
            io.nullableString(t.name);
            io.uuid(t.topicId);
            io.noTags();
        });
    } else {
        io.stringArray(m.topicNames);
    }
    io.i32(m.timeoutMs);
    io.noTags();
}

template <class IO>
void serde(IO &io, DeleteTopicsResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    io.array(m.responses, [v](auto &io, DeleteTopicsResponse::TopicResult &r) {
        io.nullableString(r.name, v >= 6);
        if (v >= 6)
            io.uuid(r.topicId);
        io.i16(r.errorCode);
        if (v >= 5)
            io.nullableString(r.errorMessage);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DeleteTopicsRequest)
SKIFF_KAFKA_MESSAGE(DeleteTopicsResponse)

} // namespace skiff::kafka
