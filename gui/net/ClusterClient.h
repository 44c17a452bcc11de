#pragma once
// The dashboard's view of the network: one NodeConnection per known node, keyed by admin address.
// Nodes given by the user come first; the others are discovered from the broker registry
// (every Broker carries its admin_address), so one address is enough to see a whole cluster.
// It also polls what the stream does not carry from every streaming node: the partitions, merged
// here (only a partition's leader knows its followers' progress: admin/PartitionViews.h), and the
// consumer groups (each lives on its coordinator; the answers are merged with the partitions, by
// the ClusterModel).

#include "net/NodeConnection.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace skiff::gui {

class ClusterClient : public QObject {
    Q_OBJECT
public:
    struct Options {
        NodeConnection::Options connection;
        bool discover = true;
        int partitionsPollMs = 2000;
    };

    explicit ClusterClient(Options options, QObject *parent = nullptr);
    ~ClusterClient() override;

    // Token, TLS and rate of the connections made from now on (a new profile).
    void setConnectionOptions(const NodeConnection::Options &options) { m_options.connection = options; }
    void setDiscover(bool discover) { m_options.discover = discover; }

    // Replaces the node set (a new profile); connections start at once.
    void connectTo(const QStringList &addresses);
    void disconnectAll();

    QStringList addresses() const { return m_order; }
    NodeConnection *connection(const QString &address) const;
    bool isDiscovered(const QString &address) const { return m_discovered.count(address) > 0; }
    const Options &options() const { return m_options; }

    // Sends to `preferredAddress` when it streams, else to the first node that does.
    void call(admin::Request request, NodeConnection::Callback done, const QString &preferredAddress = {});

    // Asks every streaming node for the partitions now instead of at the next poll; one merged
    // list is signalled once all have answered or failed.
    void refreshPartitions();
    // The same for the consumer groups (DescribeGroups), at the same period.
    void refreshGroups();

signals:
    void nodeAdded(const QString &address);
    void nodeRemoved(const QString &address);
    void statusReceived(const QString &address, const skiff::admin::StatusSnapshot &snapshot);
    void eventReceived(const QString &address, const skiff::admin::Event &event);
    void historyReceived(const QString &address, const skiff::admin::EventHistory &history);
    void historyUnavailable(const QString &address);
    void connectionStateChanged(const QString &address, skiff::gui::NodeConnection::State state, const QString &reason);
    void partitionsReceived(const skiff::admin::PartitionList &partitions);
    void partitionsFailed(const QString &reason);
    // Every streaming node's groups, in the nodes' order, and one line per node that could not
    // answer (an older node does not know DescribeGroups).
    void groupsReceived(const std::vector<skiff::admin::GroupList> &answers, const QStringList &refusals);

private:
    // One node's answer to a request sent to all: the response, or why there is none.
    struct NodeAnswer {
        QString address;
        std::optional<admin::Response> response;
        QString error;
    };
    // Sends `request` to every streaming node; `done` gets the answers in the nodes' order once
    // each has answered or failed. False (and no call) when no node streams.
    bool askEveryStreamingNode(const admin::Request &request, std::function<void(std::vector<NodeAnswer>)> done);
    void addNode(const QString &address, bool discovered);
    void removeNode(const QString &address);
    void onStatus(const QString &address, const admin::StatusSnapshot &snapshot);

    Options m_options;
    QStringList m_order;
    std::map<QString, NodeConnection *> m_connections;
    std::set<QString> m_discovered;
    std::map<QString, uint64_t> m_nodeIdOf;   // address -> node id it reported
    QTimer m_partitionsTimer;
    bool m_partitionsInFlight = false;
    bool m_groupsInFlight = false;
    bool m_partitionsReceivedOnce = false;
};

} // namespace skiff::gui
