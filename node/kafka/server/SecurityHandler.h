#pragma once
// ACLs (DescribeAcls, CreateAcls, DeleteAcls), client quotas (DescribeClientQuotas,
// AlterClientQuotas) and SCRAM credentials (DescribeUserScramCredentials,
// AlterUserScramCredentials): features Skiff does not have, answered the way a Kafka broker
// without them answers, so admin tools print a clear error instead of losing the connection.
// - ACLs: a Kafka broker with no authorizer answers every call SECURITY_DISABLED, "No Authorizer
//   is configured." (Kafka's AclApis).
// - Quotas: none are configured, so describing lists none (as on a Kafka broker that has none);
//   setting one is INVALID_REQUEST per entity (Skiff would not enforce it), validate-only too.
// - SCRAM: no credential exists, so describing all lists none and describing a named user is
//   RESOURCE_NOT_FOUND, as Kafka says for an unknown user; deleting one is RESOURCE_NOT_FOUND;
//   storing one is UNSUPPORTED_SASL_MECHANISM (Skiff has no SASL listener to use it).

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct DescribeAclsRequest;
struct CreateAclsRequest;
struct DeleteAclsRequest;
struct DescribeClientQuotasRequest;
struct AlterClientQuotasRequest;
struct DescribeUserScramCredentialsRequest;
struct AlterUserScramCredentialsRequest;

class SecurityHandler {
public:
    void describeAcls(RequestInfo info, const DescribeAclsRequest &request);
    void createAcls(RequestInfo info, const CreateAclsRequest &request);
    void deleteAcls(RequestInfo info, const DeleteAclsRequest &request);
    void describeClientQuotas(RequestInfo info, const DescribeClientQuotasRequest &request);
    void alterClientQuotas(RequestInfo info, const AlterClientQuotasRequest &request);
    void describeUserScramCredentials(RequestInfo info, const DescribeUserScramCredentialsRequest &request);
    void alterUserScramCredentials(RequestInfo info, const AlterUserScramCredentialsRequest &request);
};

} // namespace skiff::kafka
