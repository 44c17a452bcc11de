#include "kafka/protocol/messages/ClientQuotas.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

namespace {

template <class IO>
void entityFields(IO &io, std::vector<QuotaEntityPart> &entity)
{
    io.array(entity, [](auto &io, QuotaEntityPart &e) {
        io.string(e.entityType);
        io.nullableString(e.entityName);
        io.noTags();
    });
}

} // namespace

template <class IO>
void serde(IO &io, DescribeClientQuotasRequest &m, int16_t)
{
    io.array(m.components, [](auto &io, DescribeClientQuotasRequest::Component &c) {
        io.string(c.entityType);
        io.i8(c.matchType);
        io.nullableString(c.match);
        io.noTags();
    });
    io.boolean(m.strict);
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeClientQuotasResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.nullableString(m.errorMessage);
    io.nullableArray(m.entries, true, [](auto &io, DescribeClientQuotasResponse::Entry &e) {
        entityFields(io, e.entity);
        io.array(e.values, [](auto &io, DescribeClientQuotasResponse::Value &v) {
            io.string(v.key);
            io.f64(v.value);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, AlterClientQuotasRequest &m, int16_t)
{
    io.array(m.entries, [](auto &io, AlterClientQuotasRequest::Entry &e) {
        entityFields(io, e.entity);
        io.array(e.ops, [](auto &io, AlterClientQuotasRequest::Op &o) {
            io.string(o.key);
            io.f64(o.value);
            io.boolean(o.remove);
            io.noTags();
        });
        io.noTags();
    });
    io.boolean(m.validateOnly);
    io.noTags();
}

template <class IO>
void serde(IO &io, AlterClientQuotasResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.array(m.entries, [](auto &io, AlterClientQuotasResponse::Entry &e) {
        io.i16(e.errorCode);
        io.nullableString(e.errorMessage);
        entityFields(io, e.entity);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeClientQuotasRequest)
SKIFF_KAFKA_MESSAGE(DescribeClientQuotasResponse)
SKIFF_KAFKA_MESSAGE(AlterClientQuotasRequest)
SKIFF_KAFKA_MESSAGE(AlterClientQuotasResponse)

} // namespace skiff::kafka
