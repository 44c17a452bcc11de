#include "kafka/protocol/messages/InitProducerId.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, InitProducerIdRequest &m, int16_t v)
{
    io.nullableString(m.transactionalId);
    io.i32(m.transactionTimeoutMs);
    if (v >= 3) {
        io.i64(m.producerId);
        io.i16(m.producerEpoch);
    }
    io.noTags();
}

template <class IO>
void serde(IO &io, InitProducerIdResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.i64(m.producerId);
    io.i16(m.producerEpoch);
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(InitProducerIdRequest)
SKIFF_KAFKA_MESSAGE(InitProducerIdResponse)

} // namespace skiff::kafka
