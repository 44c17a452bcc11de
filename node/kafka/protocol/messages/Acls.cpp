#include "kafka/protocol/messages/Acls.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

namespace {

template <class IO>
void filterFields(IO &io, AclBindingFilter &f, int16_t v)
{
    io.i8(f.resourceTypeFilter);
    io.nullableString(f.resourceNameFilter);
    if (v >= 1)
        io.i8(f.patternTypeFilter);
    io.nullableString(f.principalFilter);
    io.nullableString(f.hostFilter);
    io.i8(f.operation);
    io.i8(f.permissionType);
}

template <class IO>
void bindingFields(IO &io, AclBinding &b, int16_t v)
{
    io.i8(b.resourceType);
    io.string(b.resourceName);
    if (v >= 1)
        io.i8(b.patternType);
    io.string(b.principal);
    io.string(b.host);
    io.i8(b.operation);
    io.i8(b.permissionType);
}

} // namespace

template <class IO>
void serde(IO &io, DescribeAclsRequest &m, int16_t v)
{
    filterFields(io, m.filter, v);
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeAclsResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.nullableString(m.errorMessage);
    io.array(m.resources, [v](auto &io, DescribeAclsResponse::Resource &r) {
        io.i8(r.resourceType);
        io.string(r.resourceName);
        if (v >= 1)
            io.i8(r.patternType);
        io.array(r.acls, [](auto &io, DescribeAclsResponse::Acl &a) {
            io.string(a.principal);
            io.string(a.host);
            io.i8(a.operation);
            io.i8(a.permissionType);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, CreateAclsRequest &m, int16_t v)
{
    io.array(m.creations, [v](auto &io, AclBinding &c) {
        bindingFields(io, c, v);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, CreateAclsResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.array(m.results, [](auto &io, CreateAclsResponse::Result &r) {
        io.i16(r.errorCode);
        io.nullableString(r.errorMessage);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, DeleteAclsRequest &m, int16_t v)
{
    io.array(m.filters, [v](auto &io, AclBindingFilter &f) {
        filterFields(io, f, v);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, DeleteAclsResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    io.array(m.filterResults, [v](auto &io, DeleteAclsResponse::FilterResult &f) {
        io.i16(f.errorCode);
        io.nullableString(f.errorMessage);
        io.array(f.matchingAcls, [v](auto &io, DeleteAclsResponse::MatchingAcl &a) {
            io.i16(a.errorCode);
            io.nullableString(a.errorMessage);
            bindingFields(io, a.acl, v);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeAclsRequest)
SKIFF_KAFKA_MESSAGE(DescribeAclsResponse)
SKIFF_KAFKA_MESSAGE(CreateAclsRequest)
SKIFF_KAFKA_MESSAGE(CreateAclsResponse)
SKIFF_KAFKA_MESSAGE(DeleteAclsRequest)
SKIFF_KAFKA_MESSAGE(DeleteAclsResponse)

} // namespace skiff::kafka
