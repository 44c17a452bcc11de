#include "kafka/protocol/messages/Sasl.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, SaslHandshakeRequest &m, int16_t)
{
    io.string(m.mechanism);
}

template <class IO>
void serde(IO &io, SaslHandshakeResponse &m, int16_t)
{
    io.i16(m.errorCode);
    io.stringArray(m.mechanisms);
}

template <class IO>
void serde(IO &io, SaslAuthenticateRequest &m, int16_t)
{
    io.bytes(m.authBytes);
    io.noTags();
}

template <class IO>
void serde(IO &io, SaslAuthenticateResponse &m, int16_t v)
{
    io.i16(m.errorCode);
    io.nullableString(m.errorMessage);
    io.bytes(m.authBytes);
    if (v >= 1)
        io.i64(m.sessionLifetimeMs);
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(SaslHandshakeRequest)
SKIFF_KAFKA_MESSAGE(SaslHandshakeResponse)
SKIFF_KAFKA_MESSAGE(SaslAuthenticateRequest)
SKIFF_KAFKA_MESSAGE(SaslAuthenticateResponse)

} // namespace skiff::kafka
