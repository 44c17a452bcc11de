#include "kafka/protocol/messages/Produce.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, ProduceRequest &m, int16_t)
{
    io.nullableString(m.transactionalId);
    io.i16(m.acks);
    io.i32(m.timeoutMs);
    io.array(m.topicData, [](auto &io, ProduceRequest::Topic &t) {
        io.string(t.name);
        io.array(t.partitionData, [](auto &io, ProduceRequest::Partition &p) {
            io.i32(p.index);
            io.nullableBytes(p.records);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, ProduceResponse &m, int16_t v)
{
    io.array(m.responses, [v](auto &io, ProduceResponse::Topic &t) {
        io.string(t.name);
        io.array(t.partitionResponses, [v](auto &io, ProduceResponse::Partition &p) {
            io.i32(p.index);
            io.i16(p.errorCode);
            io.i64(p.baseOffset);
            io.i64(p.logAppendTimeMs);
            if (v >= 5)
                io.i64(p.logStartOffset);
            if (v >= 8) {
                io.array(p.recordErrors, [](auto &io, ProduceResponse::RecordError &e) {
                    io.i32(e.batchIndex);
                    io.nullableString(e.batchIndexErrorMessage);
                    io.noTags();
                });
                io.nullableString(p.errorMessage);
            }
            io.noTags();
        });
        io.noTags();
    });
    io.i32(m.throttleTimeMs);
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(ProduceRequest)
SKIFF_KAFKA_MESSAGE(ProduceResponse)

} // namespace skiff::kafka
