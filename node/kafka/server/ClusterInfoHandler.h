#pragma once
// Requests about the broker and cluster as a whole: ApiVersions, DescribeCluster, DescribeConfigs.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct ApiVersionsRequest;
struct DescribeClusterRequest;
struct DescribeConfigsRequest;

class ClusterInfoHandler {
public:
    explicit ClusterInfoHandler(BrokerContext &context) : m_context(context) {}

    void apiVersions(RequestInfo info, const ApiVersionsRequest &request);
    void describeCluster(RequestInfo info, const DescribeClusterRequest &request);
    void describeConfigs(RequestInfo info, const DescribeConfigsRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
