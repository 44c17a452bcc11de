// skiffctl acls: the ACLs of the node's applied image (any node: they come through Raft), and
// `acls add` / `acls remove`, which change them through the cluster as one AlterAcls command. The
// names (TOPIC, READ, ...) are parsed here with the metadata's own parsers (metadata/Acls.cpp is
// compiled in), so a typo is a usage error naming the valid ones before anything is sent; the
// node checks each ACL with the metadata's rules and refuses in Kafka's words.
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/TextTable.h"
#include "metadata/Acls.h"

#include <cstdio>
#include <optional>
#include <string>

namespace skiff::ctl {
namespace {

using namespace metadata;

// `typed` as Kafka's name (upper case) when the metadata's parser knows it and it names one value
// (not UNKNOWN or ANY); else nullopt, and `error` says what is valid.
template <class E>
std::optional<std::string> canonical(const std::string &typed, const char *flag, std::optional<E> (*parse)(std::string_view),
                                     std::string_view (*name)(E), std::string &error)
{
    const std::optional<E> value = parse(typed);
    if (value && int(*value) > 1)   // 0 and 1 are UNKNOWN and ANY in each of Kafka's ACL enums
        return std::string(name(*value));
    std::string valid;
    for (int code = 2; name(E(code)) != "UNKNOWN"; ++code)
        valid += (valid.empty() ? "" : ", ") + std::string(name(E(code)));
    error = std::string(flag) + " '" + typed + "' is not one of " + valid + " (any case)";
    return std::nullopt;
}

// What the selectors of the command line say, by Kafka's names; `error` set when a name is unknown.
struct Selectors {
    std::string resourceType;             // empty: any
    std::vector<std::string> operations;  // none: any
};

std::optional<Selectors> selectorsOf(const CtlOptions &options, std::string &error)
{
    Selectors s;
    if (!options.aclResourceType.empty()) {
        auto type = canonical(options.aclResourceType, "--resource-type", aclResourceTypeFromName, aclResourceTypeName, error);
        if (!type)
            return std::nullopt;
        s.resourceType = *type;
    }
    for (const auto &typed : options.operations) {
        auto op = canonical(typed, "--operation", aclOperationFromName, aclOperationName, error);
        if (!op)
            return std::nullopt;
        s.operations.push_back(*op);
    }
    return s;
}

// A filter of the selectors given (left out: any) with `operation` (empty: any).
admin::Acl filterOf(const CtlOptions &options, const Selectors &s, const std::string &operation,
                          const std::string &patternType)
{
    admin::Acl f;
    f.set_resource_type(s.resourceType);
    f.set_resource_name(options.aclResourceName);
    f.set_pattern_type(patternType);
    f.set_principal(options.principal);
    f.set_host(options.host);
    f.set_operation(operation);
    f.set_permission(options.deny ? "DENY" : "");
    return f;
}

int listAcls(const CtlOptions &options, const Selectors &s)
{
    if (s.operations.size() > 1)
        return usage("acls lists one --operation at a time");
    admin::Request request;
    *request.mutable_list_acls()->mutable_filter() =
        filterOf(options, s, s.operations.empty() ? "" : s.operations[0], options.prefixed ? "PREFIXED" : "");
    admin::Response response;
    int code = kExitOk;
    if (!callAny(options, request, response, code))
        return code;
    if (options.json) {
        printJson(response.acls());
        return kExitOk;
    }
    TextTable table({"TYPE", "PATTERN", "RESOURCE", "PRINCIPAL", "HOST", "PERMISSION", "OPERATION"});
    for (const auto &a : response.acls().acls())
        table.add({a.resource_type(), a.pattern_type(), a.resource_name(), a.principal(), a.host(), a.permission(), a.operation()});
    std::fputs(table.render().c_str(), stdout);
    return kExitOk;
}

} // namespace

int runAcls(const CtlOptions &options)
{
    const auto &args = options.args;
    std::string error;
    const auto selectors = selectorsOf(options, error);
    if (!selectors)
        return usage(error);
    if (args.empty())
        return listAcls(options, *selectors);
    if (args.size() != 1 || (args[0] != "add" && args[0] != "remove"))
        return usage("acls takes no argument (list), add or remove; got '" + args[0] + "'");
    if (selectors->resourceType.empty() || options.aclResourceName.empty())
        return usage("acls " + args[0] + " needs a resource: --topic NAME, --group NAME, --cluster, --transactional-id NAME"
                     " or --resource-type TYPE --resource NAME");
    const std::string pattern = options.prefixed ? "PREFIXED" : "LITERAL";
    admin::Request request;
    if (args[0] == "add") {
        if (options.principal.empty() || selectors->operations.empty())
            return usage("acls add needs --principal (User:NAME) and --operation OP[,OP...]");
        for (const auto &op : selectors->operations) {
            admin::Acl *acl = request.mutable_add_acls()->add_acls();
            acl->set_resource_type(selectors->resourceType);
            acl->set_resource_name(options.aclResourceName);
            acl->set_pattern_type(pattern);
            acl->set_principal(options.principal);
            acl->set_host(options.host.empty() ? std::string(kWildcardHost) : options.host);
            acl->set_operation(op);
            acl->set_permission(options.deny ? "DENY" : "ALLOW");
        }
    } else {
        auto *remove = request.mutable_remove_acls();
        if (selectors->operations.empty())
            *remove->add_filters() = filterOf(options, *selectors, "", pattern);
        for (const auto &op : selectors->operations)
            *remove->add_filters() = filterOf(options, *selectors, op, pattern);
    }
    return sendMutation(options, std::move(request));
}

} // namespace skiff::ctl
