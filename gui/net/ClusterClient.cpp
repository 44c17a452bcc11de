#include "net/ClusterClient.h"

#include "admin/PartitionViews.h"

#include <memory>
#include <optional>
#include <vector>

namespace skiff::gui {

ClusterClient::ClusterClient(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_partitionsTimer(this)
{
    connect(&m_partitionsTimer, &QTimer::timeout, this, &ClusterClient::refreshPartitions);
    connect(&m_partitionsTimer, &QTimer::timeout, this, &ClusterClient::refreshGroups);
}

ClusterClient::~ClusterClient() = default;

void ClusterClient::connectTo(const QStringList &addresses)
{
    disconnectAll();
    for (const QString &a : addresses) {
        const QString address = a.trimmed();
        if (!address.isEmpty() && !m_connections.count(address))
            addNode(address, false);
    }
    m_partitionsTimer.start(m_options.partitionsPollMs);
}

void ClusterClient::disconnectAll()
{
    m_partitionsTimer.stop();
    const QStringList all = m_order;
    for (const QString &address : all)
        removeNode(address);
}

NodeConnection *ClusterClient::connection(const QString &address) const
{
    auto it = m_connections.find(address);
    return it == m_connections.end() ? nullptr : it->second;
}

void ClusterClient::addNode(const QString &address, bool discovered)
{
    auto *c = new NodeConnection(address, m_options.connection, this);
    m_connections[address] = c;
    m_order.append(address);
    if (discovered)
        m_discovered.insert(address);
    connect(c, &NodeConnection::statusReceived, this,
            [this, address](const admin::StatusSnapshot &s) { onStatus(address, s); });
    connect(c, &NodeConnection::eventReceived, this,
            [this, address](const admin::Event &e) { emit eventReceived(address, e); });
    connect(c, &NodeConnection::historyReceived, this,
            [this, address](const admin::EventHistory &h) { emit historyReceived(address, h); });
    connect(c, &NodeConnection::historyUnavailable, this, [this, address]() { emit historyUnavailable(address); });
    connect(c, &NodeConnection::stateChanged, this, [this, address](NodeConnection::State st, const QString &reason) {
        emit connectionStateChanged(address, st, reason);
    });
    emit nodeAdded(address);
    c->start();
}

void ClusterClient::removeNode(const QString &address)
{
    auto it = m_connections.find(address);
    if (it == m_connections.end())
        return;
    NodeConnection *c = it->second;
    m_connections.erase(it);
    m_order.removeAll(address);
    m_discovered.erase(address);
    m_nodeIdOf.erase(address);
    c->stop();
    c->deleteLater();
    emit nodeRemoved(address);
}

void ClusterClient::onStatus(const QString &address, const admin::StatusSnapshot &snapshot)
{
    m_nodeIdOf[address] = snapshot.node_id();
    // The same node known under two addresses (e.g. localhost and 127.0.0.1): keep the one the
    // user gave, drop the discovered duplicate.
    for (const auto &[other, id] : m_nodeIdOf) {
        if (other != address && id == snapshot.node_id() && isDiscovered(address)) {
            removeNode(address);
            return;
        }
    }
    emit statusReceived(address, snapshot);
    if (!m_partitionsReceivedOnce)
        refreshPartitions();   // the first table should not wait a whole poll period
    if (!m_options.discover)
        return;
    std::set<uint64_t> knownIds;
    for (const auto &[a, id] : m_nodeIdOf)
        knownIds.insert(id);
    for (const admin::Broker &b : snapshot.brokers()) {
        const QString admin = QString::fromStdString(b.admin_address());
        if (admin.isEmpty() || m_connections.count(admin) || knownIds.count(b.id()))
            continue;
        addNode(admin, true);
    }
}

void ClusterClient::call(admin::Request request, NodeConnection::Callback done, const QString &preferredAddress)
{
    NodeConnection *target = connection(preferredAddress);
    if (!target || target->state() != NodeConnection::State::Streaming) {
        target = nullptr;
        for (const QString &a : m_order) {
            NodeConnection *c = m_connections.at(a);
            if (c->state() == NodeConnection::State::Streaming) {
                target = c;
                break;
            }
        }
    }
    if (!target) {
        done(unavailable(m_order.isEmpty() ? "no node configured: connect to a cluster first"
                                           : "no node of the cluster is reachable"));
        return;
    }
    target->call(std::move(request), std::move(done));
}

bool ClusterClient::askEveryStreamingNode(const admin::Request &request, std::function<void(std::vector<NodeAnswer>)> done)
{
    std::vector<NodeConnection *> streaming;
    for (const QString &a : m_order)
        if (NodeConnection *c = m_connections.at(a); c->state() == NodeConnection::State::Streaming)
            streaming.push_back(c);
    if (streaming.empty())
        return false;
    struct Round {
        size_t outstanding = 0;
        // By the nodes' order, not the answers': where nodes tie (same partition epoch) the
        // first node's view is taken, whichever answered first.
        std::vector<NodeAnswer> answers;
        std::function<void(std::vector<NodeAnswer>)> done;
    };
    auto round = std::make_shared<Round>();
    round->outstanding = streaming.size();
    round->answers.resize(streaming.size());
    round->done = std::move(done);
    for (size_t i = 0; i < streaming.size(); ++i) {
        round->answers[i].address = streaming[i]->address();
        // Every callback comes exactly once (answer, failure, or the connection stopping).
        streaming[i]->call(request, [round, i](Result<admin::Response> r) {
            NodeAnswer &a = round->answers[i];
            if (!r.isOk())
                a.error = QString::fromStdString(r.status().message());
            else if (r->error_code() != admin::ERROR_CODE_NONE)
                a.error = QString::fromStdString(r->error_message());
            else
                a.response = std::move(r.value());
            if (--round->outstanding == 0)
                round->done(std::move(round->answers));
        });
    }
    return true;
}

void ClusterClient::refreshPartitions()
{
    if (m_partitionsInFlight || m_order.isEmpty())
        return;
    admin::Request request;
    request.mutable_describe_partitions();
    m_partitionsInFlight = askEveryStreamingNode(request, [this](std::vector<NodeAnswer> round) {
        m_partitionsInFlight = false;
        std::vector<admin::PartitionList> answers;
        QString lastError;
        for (NodeAnswer &a : round) {
            if (a.response)
                answers.push_back(std::move(*a.response->mutable_partitions()));
            else
                lastError = a.error;
        }
        if (answers.empty()) {
            emit partitionsFailed(lastError);
            return;
        }
        m_partitionsReceivedOnce = true;
        emit partitionsReceived(admin::mergePartitionViews(answers));
    });
}

void ClusterClient::refreshGroups()
{
    if (m_groupsInFlight || m_order.isEmpty())
        return;
    admin::Request request;
    request.mutable_describe_groups();
    m_groupsInFlight = askEveryStreamingNode(request, [this](std::vector<NodeAnswer> round) {
        m_groupsInFlight = false;
        std::vector<admin::GroupList> answers;
        QStringList refusals;
        for (NodeAnswer &a : round) {
            if (a.response && a.response->body_case() == admin::Response::kGroups)
                answers.push_back(std::move(*a.response->mutable_groups()));
            else
                refusals << QStringLiteral("%1: %2").arg(a.address, a.response ? tr("answered without groups") : a.error);
        }
        emit groupsReceived(answers, refusals);
    });
}

} // namespace skiff::gui
