#pragma once
// What every request handler needs: the node's config, the metadata controller (to propose
// changes and read the current image), the local partitions, and the topic config rules (the
// partitions' own, so that validation and the logs read one set). All
// handlers run on the Kafka thread; `owner` is the QObject that callbacks are posted back to.

#include "core/NodeConfig.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/RequestAuthorizer.h"
#include "kafka/server/Responder.h"
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
    // Asked where something is (Metadata, FindCoordinator) long after its lease ran out, this
    // broker has been fenced (the controller fences it a session timeout after its last heartbeat)
    // and its image is stale. A client asks such questions of a broker it is connected to: kept
    // open, this connection would be asked again and again, and a client that reaches only this
    // broker would never hear of the new leaders. Closed after the answer, the client's next
    // question goes to another broker. Not during a lapse shorter than that (a controller change,
    // a stall): closing the connection then gains nothing, and librdkafka 2.0's consumer, its
    // group coordinator connection closed so, sent nothing for 60 s (faults_faults). Nor just
    // after the process was stopped (SIGSTOP, a frozen VM): the lapse counts from the controller
    // thread's first turn that found the lease out, so a stop is not taken for a cut-off
    // (faults_faults again, seed 1405: a resumed broker closed its coordinator's connections
    // milliseconds before its lease was renewed). A single node holds the lease for good.
    void sendElsewhereWhenFenced(Responder &responder) const
    {
        if (controller.leaseLapsedMs() >= config.brokerSessionTimeoutMs)
            responder.closeAfter(ConnectionCloseReason::NoLease,
                                 "this broker's leadership lease ran out over broker.session.timeout.ms ago (no "
                                 "answer from the controller): it is fenced, so the client asks another broker next");
    }
};

} // namespace skiff::kafka
