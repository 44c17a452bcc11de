#pragma once
// Client quotas (KIP-13, KIP-55, KIP-124, KIP-546): byte rates and a request-time percentage per
// user, client id, or both, stored in the metadata image through Raft. The rules here are Kafka's
// (ClientQuotaControlManager, ClientQuotasImage, DefaultQuotaCallback): which entities and keys
// may be set, how DescribeClientQuotas filters, and which entity's quota applies to a client.
// Skiff serves user and client-id entities only: IP entities (connection_creation_rate) and
// controller_mutation_rate are refused rather than stored and not enforced.

#include "common/Status.h"

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::metadata {

class AlterClientQuotas;
class ClientQuotaEntity;

inline constexpr std::string_view kQuotaEntityUser = "user";
inline constexpr std::string_view kQuotaEntityClientId = "client-id";
inline constexpr std::string_view kQuotaEntityIp = "ip";

inline constexpr std::string_view kProducerByteRate = "producer_byte_rate";
inline constexpr std::string_view kConsumerByteRate = "consumer_byte_rate";
inline constexpr std::string_view kRequestPercentage = "request_percentage";

// One part of an entity: absent (not in the entity), the default (<default>), or a name.
struct QuotaEntityPart {
    bool present = false;
    std::optional<std::string> name;   // with present: nullopt is the default entity
    auto operator<=>(const QuotaEntityPart &) const = default;
    static QuotaEntityPart named(std::string n) { return {true, std::move(n)}; }
    static QuotaEntityPart defaultEntity() { return {true, std::nullopt}; }
};

struct QuotaEntity {
    QuotaEntityPart user;
    QuotaEntityPart clientId;
    auto operator<=>(const QuotaEntity &) const = default;
    bool empty() const { return !user.present && !clientId.present; }
};

// Kafka's path of an entity, as kafka-configs prints it: "/users/alice/clients/<default>".
std::string quotaEntityPath(const QuotaEntity &entity);

using ClientQuotaValues = std::map<std::string, double>;   // key → value
using ClientQuotaMap = std::map<QuotaEntity, ClientQuotaValues>;

// Why a quota change or a describe filter is refused, as Kafka's error codes tell them apart:
// InvalidRequest is INVALID_REQUEST, Unsupported is UNSUPPORTED_VERSION (an entity type Kafka
// does not know in a describe filter). A refused AlterClientQuotas' ApplyResult.value.
enum class ClientQuotaRefusal : uint8_t { None = 0, InvalidRequest = 1, Unsupported = 2 };

struct ClientQuotaDecision {
    ClientQuotaRefusal refusal = ClientQuotaRefusal::None;
    std::string message;   // Kafka's words, with what was wrong
    bool ok() const { return refusal == ClientQuotaRefusal::None; }
};

// An entity from a request's (type, name) parts: only "user" and "client-id", each at most once,
// a name never empty, at least one part.
ClientQuotaDecision quotaEntityFromParts(const std::vector<std::pair<std::string, std::optional<std::string>>> &parts,
                                         QuotaEntity &entity);
// A value to set for `key`: a key Skiff enforces, greater than 0; the byte rates are Kafka LONGs,
// so whole and at most INT64_MAX.
ClientQuotaDecision checkQuotaValue(std::string_view key, double value);
// The whole command, as the state machine applies it (all or nothing): a non-empty entity with
// non-empty names, no key named twice, and every value to set valid. Removing a key the entity
// does not have is no change, as in Kafka.
ClientQuotaDecision checkClientQuotaAlteration(const AlterClientQuotas &command);
// Applies a checked command to `quotas`: an entity left without keys is gone.
void applyClientQuotaAlteration(ClientQuotaMap &quotas, const AlterClientQuotas &command);

QuotaEntity quotaEntityFromProto(const ClientQuotaEntity &entity);
void quotaEntityToProto(const QuotaEntity &entity, ClientQuotaEntity &out);

// One component of a DescribeClientQuotas filter (match type 0 exact name, 1 the default,
// 2 any entity that has a part of this type).
struct QuotaFilterComponent {
    std::string entityType;
    int8_t matchType = 0;
    std::optional<std::string> match;
};

// Kafka's ClientQuotasImage.describe: the entities matching every component (strict: and no part
// beyond them), or the refusal of a malformed filter.
ClientQuotaDecision describeClientQuotas(const ClientQuotaMap &quotas, const std::vector<QuotaFilterComponent> &filter,
                                         bool strict, std::vector<const ClientQuotaMap::value_type *> &matched);

// The quota of `key` that applies to `user` using `clientId`: the first entity holding `key` in
// Kafka's precedence order, /users/<user>/clients/<client-id>, /users/<user>/clients/<default>,
// /users/<user>, /users/<default>/clients/<client-id>, /users/<default>/clients/<default>,
// /users/<default>, /clients/<client-id>, /clients/<default>. sensorUser and sensorClientId are
// Kafka's metric tags for that entity: whom the rate is measured over (a quota on /users/alice
// is shared by all of alice's client ids; a /clients/<default> one is per client id).
struct AppliedQuota {
    double bound = 0;
    std::string sensorUser;
    std::string sensorClientId;
};
std::optional<AppliedQuota> applicableQuota(const ClientQuotaMap &quotas, std::string_view key, const std::string &user,
                                            const std::string &clientId);

} // namespace skiff::metadata
