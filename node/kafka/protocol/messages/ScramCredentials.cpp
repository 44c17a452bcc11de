#include "kafka/protocol/messages/ScramCredentials.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DescribeUserScramCredentialsRequest &m, int16_t)
{
    io.nullableArray(m.users, true, [](auto &io, std::string &name) {
        io.string(name);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeUserScramCredentialsResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.nullableString(m.errorMessage);
    io.array(m.results, [](auto &io, DescribeUserScramCredentialsResponse::Result &r) {
        io.string(r.user);
        io.i16(r.errorCode);
        io.nullableString(r.errorMessage);
        io.array(r.credentialInfos, [](auto &io, DescribeUserScramCredentialsResponse::CredentialInfo &c) {
            io.i8(c.mechanism);
            io.i32(c.iterations);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, AlterUserScramCredentialsRequest &m, int16_t)
{
    io.array(m.deletions, [](auto &io, AlterUserScramCredentialsRequest::Deletion &d) {
        io.string(d.name);
        io.i8(d.mechanism);
        io.noTags();
    });
    io.array(m.upsertions, [](auto &io, AlterUserScramCredentialsRequest::Upsertion &u) {
        io.string(u.name);
        io.i8(u.mechanism);
        io.i32(u.iterations);
        io.bytes(u.salt);
        io.bytes(u.saltedPassword);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, AlterUserScramCredentialsResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.array(m.results, [](auto &io, AlterUserScramCredentialsResponse::Result &r) {
        io.string(r.user);
        io.i16(r.errorCode);
        io.nullableString(r.errorMessage);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeUserScramCredentialsRequest)
SKIFF_KAFKA_MESSAGE(DescribeUserScramCredentialsResponse)
SKIFF_KAFKA_MESSAGE(AlterUserScramCredentialsRequest)
SKIFF_KAFKA_MESSAGE(AlterUserScramCredentialsResponse)

} // namespace skiff::kafka
