#include "metadata/ClientQuotas.h"

#include "metadata.pb.h"

#include <cmath>
#include <set>
#include <utility>

namespace skiff::metadata {

namespace {

ClientQuotaDecision invalid(std::string message) { return {ClientQuotaRefusal::InvalidRequest, std::move(message)}; }

std::string partPath(const QuotaEntityPart &part) { return part.name ? *part.name : std::string("<default>"); }

// The byte rates are Kafka LONGs (a whole number of bytes per second); request_percentage a DOUBLE.
bool isLongKey(std::string_view key) { return key == kProducerByteRate || key == kConsumerByteRate; }

} // namespace

std::string quotaEntityPath(const QuotaEntity &entity)
{
    std::string path;
    if (entity.user.present)
        path += "/users/" + partPath(entity.user);
    if (entity.clientId.present)
        path += "/clients/" + partPath(entity.clientId);
    return path.empty() ? "(empty entity)" : path;
}

ClientQuotaDecision quotaEntityFromParts(const std::vector<std::pair<std::string, std::optional<std::string>>> &parts,
                                         QuotaEntity &entity)
{
    entity = {};
    if (parts.empty())
        return invalid("Invalid empty client quota entity");
    for (const auto &[type, name] : parts) {
        QuotaEntityPart *part = nullptr;
        if (type == kQuotaEntityUser)
            part = &entity.user;
        else if (type == kQuotaEntityClientId)
            part = &entity.clientId;
        else if (type == kQuotaEntityIp)
            return invalid("Skiff does not enforce IP quotas (entity type ip): only user and client-id entities");
        else
            return invalid("Unhandled client quota entity type: " + type);
        if (part->present)
            return invalid("Invalid client quota entity, duplicate entity entry " + type);
        if (name && name->empty())
            return invalid("Empty " + type + " not supported");
        *part = {true, name};
    }
    return {};
}

ClientQuotaDecision checkQuotaValue(std::string_view key, double value)
{
    if (key != kProducerByteRate && key != kConsumerByteRate && key != kRequestPercentage)
        return invalid("Invalid configuration key " + std::string(key)
                       + (key == "controller_mutation_rate" ? " (Skiff does not enforce controller mutation quotas)" : ""));
    // NaN is not greater than 0 either.
    if (!(value > 0.0))
        return invalid("Quota " + std::string(key) + " must be greater than 0");
    if (isLongKey(key)) {
        if (value >= 9223372036854775808.0)   // 2^63: above Long.MAX_VALUE
            return invalid("Proposed value for " + std::string(key) + " is too large for a LONG.");
        if (std::abs(std::fmod(value, 1.0)) > 1e-6)
            return invalid(std::string(key) + " cannot be a fractional value.");
    } else if (std::isinf(value)) {
        return invalid("Quota " + std::string(key) + " must be finite");
    }
    return {};
}

ClientQuotaDecision checkClientQuotaAlteration(const AlterClientQuotas &command)
{
    const QuotaEntity entity = quotaEntityFromProto(command.entity());
    if (entity.empty())
        return invalid("Invalid empty client quota entity");
    if ((entity.user.present && entity.user.name && entity.user.name->empty())
        || (entity.clientId.present && entity.clientId.name && entity.clientId.name->empty()))
        return invalid("Empty name in client quota entity " + quotaEntityPath(entity) + " not supported");
    std::set<std::string> keys;
    for (const auto &op : command.ops()) {
        if (!keys.insert(op.key()).second)
            return invalid("Duplicate quota key " + op.key() + " not updating quota for this entity " + quotaEntityPath(entity));
        if (op.remove())
            continue;
        if (ClientQuotaDecision d = checkQuotaValue(op.key(), op.value()); !d.ok())
            return d;
    }
    return {};
}

void applyClientQuotaAlteration(ClientQuotaMap &quotas, const AlterClientQuotas &command)
{
    const QuotaEntity entity = quotaEntityFromProto(command.entity());
    ClientQuotaValues &values = quotas[entity];
    for (const auto &op : command.ops()) {
        if (op.remove())
            values.erase(op.key());
        else
            values[op.key()] = op.value();
    }
    if (values.empty())
        quotas.erase(entity);
}

QuotaEntity quotaEntityFromProto(const ClientQuotaEntity &entity)
{
    QuotaEntity out;
    if (entity.has_user())
        out.user = {true, entity.user().has_name() ? std::optional(entity.user().name()) : std::nullopt};
    if (entity.has_client_id())
        out.clientId = {true, entity.client_id().has_name() ? std::optional(entity.client_id().name()) : std::nullopt};
    return out;
}

void quotaEntityToProto(const QuotaEntity &entity, ClientQuotaEntity &out)
{
    out.Clear();
    if (entity.user.present) {
        QuotaEntityName *name = out.mutable_user();
        if (entity.user.name)
            name->set_name(*entity.user.name);
    }
    if (entity.clientId.present) {
        QuotaEntityName *name = out.mutable_client_id();
        if (entity.clientId.name)
            name->set_name(*entity.clientId.name);
    }
}

ClientQuotaDecision describeClientQuotas(const ClientQuotaMap &quotas, const std::vector<QuotaFilterComponent> &filter,
                                         bool strict, std::vector<const ClientQuotaMap::value_type *> &matched)
{
    matched.clear();
    // Per entity type: an exact part to match (present, and the name or the default), or any part.
    std::map<std::string, QuotaEntityPart> exact;
    std::set<std::string> anyOf;
    for (const QuotaFilterComponent &c : filter) {
        if (c.entityType.empty())
            return invalid("Invalid empty entity type.");
        if (exact.count(c.entityType) || anyOf.count(c.entityType))
            return invalid("Entity type " + c.entityType + " cannot appear more than once in the filter.");
        if (c.entityType != kQuotaEntityUser && c.entityType != kQuotaEntityClientId && c.entityType != kQuotaEntityIp)
            return {ClientQuotaRefusal::Unsupported, "Unsupported entity type " + c.entityType};
        switch (c.matchType) {
        case 0:
            if (!c.match)
                return invalid("Request specified MATCH_TYPE_EXACT, but set match string to null.");
            exact[c.entityType] = QuotaEntityPart::named(*c.match);
            break;
        case 1:
            if (c.match)
                return invalid("Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
            exact[c.entityType] = QuotaEntityPart::defaultEntity();
            break;
        case 2:
            if (c.match)
                return invalid("Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
            anyOf.insert(c.entityType);
            break;
        default:
            return invalid("Unknown match type " + std::to_string(c.matchType));
        }
    }
    const bool ip = exact.count(std::string(kQuotaEntityIp)) || anyOf.count(std::string(kQuotaEntityIp));
    if (ip && exact.size() + anyOf.size() > 1)
        return invalid("Invalid entity filter component combination. IP filter component should not be used with user or "
                       "clientId filter component.");
    if (ip)
        return {};   // no IP entity is ever stored
    for (const auto &entry : quotas) {
        const QuotaEntity &e = entry.first;
        auto partOf = [&](const std::string &type) -> const QuotaEntityPart & {
            return type == kQuotaEntityUser ? e.user : e.clientId;
        };
        const size_t parts = size_t(e.user.present) + size_t(e.clientId.present);
        if (strict && parts != exact.size() + anyOf.size())
            continue;
        bool match = true;
        for (const auto &[type, want] : exact)
            match = match && partOf(type) == want;
        for (const auto &type : anyOf)
            match = match && partOf(type).present;
        if (match)
            matched.push_back(&entry);
    }
    return {};
}

std::optional<AppliedQuota> applicableQuota(const ClientQuotaMap &quotas, std::string_view key, const std::string &user,
                                            const std::string &clientId)
{
    if (quotas.empty())
        return std::nullopt;
    const QuotaEntityPart none{};
    const QuotaEntityPart u = QuotaEntityPart::named(user), c = QuotaEntityPart::named(clientId);
    const QuotaEntityPart anyUser = QuotaEntityPart::defaultEntity(), anyClient = QuotaEntityPart::defaultEntity();
    // Kafka's DefaultQuotaCallback order, with the metric tags each entity measures over.
    struct Candidate {
        QuotaEntity entity;
        bool byUser;
        bool byClient;
    };
    const Candidate order[] = {
        {{u, c}, true, true},          {{u, anyClient}, true, true},          {{u, none}, true, false},
        {{anyUser, c}, true, true},    {{anyUser, anyClient}, true, true},    {{anyUser, none}, true, false},
        {{none, c}, false, true},      {{none, anyClient}, false, true},
    };
    for (const Candidate &candidate : order) {
        auto it = quotas.find(candidate.entity);
        if (it == quotas.end())
            continue;
        auto value = it->second.find(std::string(key));
        if (value == it->second.end())
            continue;
        return AppliedQuota{value->second, candidate.byUser ? user : std::string(),
                            candidate.byClient ? clientId : std::string()};
    }
    return std::nullopt;
}

} // namespace skiff::metadata
