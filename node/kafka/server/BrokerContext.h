#pragma once
// What every request handler needs: the node's config, the metadata controller (to propose
// changes and read the current image), the local partitions, and the topic config rules (the
// partitions' own, so that validation and the logs read one set). All
// handlers run on the Kafka thread; `owner` is the QObject that callbacks are posted back to.

#include "core/NodeConfig.h"
#include "kafka/server/RequestAuthorizer.h"
#include "kafka/server/TopicConfigs.h"
#include "metadata/MetadataController.h"

class QObject;

namespace skiff::kafka {

class ClientQuotaEnforcer;
class PartitionManager;

struct BrokerContext {
    const core::NodeConfig &config;
    metadata::MetadataController &controller;
    PartitionManager &partitions;
    const TopicConfigs &topicConfigs;
    QObject *owner;
    const RequestAuthorizer &authorizer;
    ClientQuotaEnforcer *quotas = nullptr;   // client quotas (Produce, Fetch); null: none enforced

    metadata::ImagePtr image() const { return controller.image(); }
    uint64_t nodeId() const { return config.nodeId; }
    // The leader a client is sent to (Metadata, FindCoordinator): `servingLeader`, except this
    // broker without its lease (cluster/BrokerLease.h), which may have been fenced and replaced
    // and so names no one rather than itself; the client asks again, of any broker. 0: none.
    uint64_t leaderToName(uint64_t servingLeader) const
    {
        return servingLeader == nodeId() && !controller.leaseHeld() ? 0 : servingLeader;
    }
};

} // namespace skiff::kafka
