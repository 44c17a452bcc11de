#pragma once
// Requests about the broker and cluster as a whole: ApiVersions, DescribeCluster, DescribeConfigs,
// DescribeQuorum.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct ApiVersionsRequest;
struct DescribeClusterRequest;
struct DescribeConfigsRequest;
struct DescribeQuorumRequest;

class ClusterInfoHandler {
public:
    explicit ClusterInfoHandler(BrokerContext &context) : m_context(context) {}

    void apiVersions(RequestInfo info, const ApiVersionsRequest &request);
    void describeCluster(RequestInfo info, const DescribeClusterRequest &request);
    void describeConfigs(RequestInfo info, const DescribeConfigsRequest &request);
    // The metadata Raft quorum as its leader sees it (Kafka brokers forward DescribeQuorum to the
    // active controller; a Skiff follower asks the Raft leader over its peer link), so
    // kafka-metadata-quorum works through any node.
    void describeQuorum(RequestInfo info, const DescribeQuorumRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
