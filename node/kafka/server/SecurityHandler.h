#pragma once
// Client quotas (DescribeClientQuotas, AlterClientQuotas) and SCRAM credentials
// (DescribeUserScramCredentials, AlterUserScramCredentials, KIP-554). ACLs: AclHandler.
// - Quotas (KIP-546): the quotas are the metadata image's, written through Raft, as Kafka's KRaft
//   controller and ClientQuotasImage do. Describing (DESCRIBE_CONFIGS on the cluster) filters this
//   node's image with Kafka's match rules; altering (ALTER_CONFIGS on the cluster) answers per
//   entity: an unknown entity type or key, a value not greater than 0 (or fractional for a byte
//   rate), a key named twice or an entity named twice is INVALID_REQUEST
//   (metadata/ClientQuotas.h holds these rules). Each valid entity is proposed as one
//   AlterClientQuotas (none with validate_only) and answered once applied on this node.
//   ClientQuotaEnforcer enforces them.
// - SCRAM: the credentials are the metadata image's, written through Raft, as Kafka's KRaft
//   controller and ScramImage do. Describing reads this node's image: every user when the list
//   is null or empty, else per named user RESOURCE_NOT_FOUND for one without credentials and
//   DUPLICATE_RESOURCE for one named twice; mechanisms and iterations only, never a salt or a key.
//   Altering answers per user, as Kafka's ScramControlManager: a user named in two operations is
//   DUPLICATE_RESOURCE (all of its operations are dropped), an unknown mechanism
//   UNSUPPORTED_SASL_MECHANISM, an empty name, salt or salted password or iterations outside
//   [4096, 16384] UNACCEPTABLE_CREDENTIAL, deleting a credential that does not exist
//   RESOURCE_NOT_FOUND (metadata/ScramCredentials.h holds these rules). The client sends a salted
//   password (Kafka's admin client salts and iterates); the node derives the stored and server
//   keys (auth::credentialFromSaltedPassword) and proposes one AlterScramCredentials per valid
//   user, and answers once every one is applied on this node: the state machine checks them again
//   against the image of that moment, and its refusal is the user's error.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct DescribeClientQuotasRequest;
struct AlterClientQuotasRequest;
struct DescribeUserScramCredentialsRequest;
struct AlterUserScramCredentialsRequest;

struct BrokerContext;

class SecurityHandler {
public:
    explicit SecurityHandler(BrokerContext &context) : m_context(context) {}

    void describeClientQuotas(RequestInfo info, const DescribeClientQuotasRequest &request);
    void alterClientQuotas(RequestInfo info, const AlterClientQuotasRequest &request);
    void describeUserScramCredentials(RequestInfo info, const DescribeUserScramCredentialsRequest &request);
    void alterUserScramCredentials(RequestInfo info, const AlterUserScramCredentialsRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
