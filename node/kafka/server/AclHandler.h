#pragma once
// DescribeAcls, CreateAcls and DeleteAcls as Kafka's AclApis serves them, over the ACLs of the
// metadata image (metadata/Acls.h), written through Raft as Kafka's KRaft controller writes them.
// - Without authorizer.enable, every call is SECURITY_DISABLED, "No Authorizer is configured."
// - Describing needs DESCRIBE on the cluster, creating and deleting ALTER on it
//   (CLUSTER_AUTHORIZATION_FAILED otherwise).
// - A creation or filter Kafka would refuse (an unknown or ANY code, an empty name, a cluster not
//   named kafka-cluster, a principal without a type) is INVALID_REQUEST on its own; the others of
//   the request are carried out.
// - Creating proposes one AlterAcls of the valid creations and answers once it is applied on
//   this node; deleting proposes the ACLs the filters match in this node's image, and answers each
//   filter with what it matched.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct DescribeAclsRequest;
struct CreateAclsRequest;
struct DeleteAclsRequest;
struct BrokerContext;

class AclHandler {
public:
    explicit AclHandler(BrokerContext &context) : m_context(context) {}

    void describeAcls(RequestInfo info, const DescribeAclsRequest &request);
    void createAcls(RequestInfo info, const CreateAclsRequest &request);
    void deleteAcls(RequestInfo info, const DeleteAclsRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
