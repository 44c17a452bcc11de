#pragma once
// Client quotas (DescribeClientQuotas, AlterClientQuotas) and SCRAM credentials
// (DescribeUserScramCredentials, AlterUserScramCredentials, KIP-554). ACLs: AclHandler.
// - Quotas: none are configured, so describing lists none (as on a Kafka broker that has none);
//   setting one is INVALID_REQUEST per entity (Skiff would not enforce it), validate-only too.
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
