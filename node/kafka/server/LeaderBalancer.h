#pragma once
// Automatic preferred-leader rebalance (Kafka's auto.leader.rebalance.enable): every
// leader.imbalance.check.interval.seconds, the node that leads the metadata Raft (the
// controller) looks, per broker, at the partitions whose preferred replica (replicas[0]) it is;
// when more than leader.imbalance.per.broker.percentage of them are led by another replica, it
// proposes a preferred ElectLeaders for those that can move. Lives on the Kafka thread.

#include "metadata/LeaderElections.h"

#include <QObject>
#include <QTimer>

#include <vector>

namespace skiff::kafka {

struct BrokerContext;

// The partitions to move back to their preferred replica on `image` (Kafka's
// checkAndTriggerAutoLeaderRebalance): for each broker whose imbalance ratio (partitions it
// prefers but does not lead / partitions it prefers) exceeds `percentage` percent, those of its
// partitions whose preferred election can succeed now. In topic and partition order.
std::vector<metadata::ElectionTarget> partitionsToRebalance(const metadata::MetadataImage &image, int64_t percentage);

class LeaderBalancer : public QObject {
    Q_OBJECT
public:
    explicit LeaderBalancer(BrokerContext &context, QObject *parent = nullptr);

private:
    void check();

    BrokerContext &m_context;
    QTimer m_timer;
    bool m_inFlight = false;   // one proposal at a time: a slow commit must not pile up elections
};

} // namespace skiff::kafka
