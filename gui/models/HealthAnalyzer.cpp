#include "models/HealthAnalyzer.h"

#include "models/ClusterModel.h"
#include "models/Format.h"
#include "models/UnreachableNode.h"

#include <algorithm>
#include <map>
#include <set>

namespace skiff::gui {
namespace {

QString joinViews(const std::map<uint64_t, uint64_t> &valueByNode, const QString &verb)
{
    QStringList parts;
    for (const auto &[node, value] : valueByNode)
        parts << QStringLiteral("node %1 %2 %3").arg(node).arg(verb).arg(value);
    return parts.join(QStringLiteral(", "));
}

QString brokerFingerprint(const admin::Broker &b)
{
    return QStringLiteral("%1:%2 rack=%3 fenced=%4 incarnation=%5")
        .arg(QString::fromStdString(b.host()))
        .arg(b.port())
        .arg(QString::fromStdString(b.rack()))
        .arg(b.fenced() ? QStringLiteral("yes") : QStringLiteral("no"))
        .arg(QString::fromStdString(b.incarnation_id()));
}

} // namespace

std::optional<QString> HealthAnalyzer::lowDisk(const admin::DiskUsage &disk, int freePercent)
{
    if (disk.total_bytes() == 0 || double(disk.available_bytes()) * 100.0 >= double(disk.total_bytes()) * freePercent)
        return std::nullopt;
    return QStringLiteral("%1 directory %2 has %3 free of %4 (%5 %), below the %6 % alert threshold")
        .arg(QString::fromStdString(disk.role()), QString::fromStdString(disk.path()), formatBytes(double(disk.available_bytes())),
             formatBytes(double(disk.total_bytes())))
        .arg(double(disk.available_bytes()) * 100.0 / double(disk.total_bytes()), 0, 'f', 1)
        .arg(freePercent);
}

bool HealthAnalyzer::raisesAlert(admin::EventKind kind)
{
    switch (kind) {
    case admin::EVENT_KIND_WATCHDOG_STALL:
    case admin::EVENT_KIND_LOCK_ORDER_INVERSION:
    case admin::EVENT_KIND_SELF_DEADLOCK:
        return true;
    default:
        return false;
    }
}

std::vector<Alert> HealthAnalyzer::analyze(const ClusterModel &model, qint64 nowMs)
{
    using S = Alert::Severity;
    std::vector<Alert> out;
    auto add = [&](S severity, QString source, QString text, qint64 since) {
        out.push_back(Alert{severity, std::move(source), std::move(text), since});
    };

    std::map<uint64_t, uint64_t> leaderOf, termOf;
    int streaming = 0;
    for (const NodeEntry &n : model.nodes()) {
        if (n.unreachable()) {
            // The address once: as the source when the node is not known by id, else in the text.
            const UnreachableNode u = UnreachableNode::of(model, n);
            const QString where = u.nodeId ? QStringLiteral(" at %1").arg(n.address) : QString();
            add(S::Critical, u.label, QStringLiteral("unreachable%1: %2").arg(where, n.error), u.sinceMs ? u.sinceMs : nowMs);
            continue;
        }
        if (!n.streaming())
            continue;
        ++streaming;
        const admin::StatusSnapshot &s = n.latest;
        const QString source = n.label();
        leaderOf[s.node_id()] = s.leader_id();
        termOf[s.node_id()] = s.term();
        if (!s.halt_reason().empty())
            add(S::Critical, source, QStringLiteral("metadata loop halted: %1").arg(QString::fromStdString(s.halt_reason())), nowMs);
        if (!s.ready())
            add(S::Warning, source, QStringLiteral("not ready: %1").arg(QString::fromStdString(s.ready_reason())), nowMs);

        // Disks filling up: the node stops taking writes when one is full.
        if (s.disks_reported())
            for (const admin::DiskUsage &d : s.disks())
                if (const auto low = lowDisk(d, model.diskAlertFreePercent()))
                    add(S::Warning, source, *low, nowMs);

        // Term churn: the sum of term increases over the last minute of this node's samples.
        uint64_t changes = 0;
        const auto &h = n.history;
        for (size_t i = h.size(); i-- > 1;) {
            if (h[i].localMs < nowMs - kChurnWindowMs)
                break;
            if (h[i].term > h[i - 1].term)
                changes += h[i].term - h[i - 1].term;
        }
        if (changes >= kChurnTermChanges)
            add(S::Critical, source, QStringLiteral("term churn: %1 term changes within a minute (now term %2)").arg(changes).arg(s.term()),
                nowMs);
    }

    if (streaming > 0) {
        std::set<uint64_t> leaders, terms;
        for (const auto &[node, l] : leaderOf)
            leaders.insert(l);
        for (const auto &[node, t] : termOf)
            terms.insert(t);
        if (leaders.size() == 1 && *leaders.begin() == 0)
            add(S::Critical, QStringLiteral("cluster"), QStringLiteral("no leader: no reachable node knows one"), nowMs);
        else if (leaders.size() > 1)
            add(S::Critical, QStringLiteral("cluster"), QStringLiteral("nodes disagree on the leader: %1").arg(joinViews(leaderOf, QStringLiteral("follows"))), nowMs);
        if (terms.size() > 1)
            add(S::Warning, QStringLiteral("cluster"), QStringLiteral("nodes disagree on the term: %1").arg(joinViews(termOf, QStringLiteral("is in term"))), nowMs);
    }

    // Brokers: fenced ones, and registries that differ between nodes.
    std::map<uint64_t, std::map<QString, std::vector<uint64_t>>> viewsOfBroker;   // broker -> fingerprint -> nodes
    std::set<uint64_t> fenced;
    for (const NodeEntry &n : model.nodes()) {
        if (!n.streaming())
            continue;
        for (const admin::Broker &b : n.latest.brokers()) {
            viewsOfBroker[b.id()][brokerFingerprint(b)].push_back(n.latest.node_id());
            if (b.fenced())
                fenced.insert(b.id());
        }
    }
    for (uint64_t id : fenced)
        add(S::Warning, QStringLiteral("broker %1").arg(id), QStringLiteral("fenced: left out of Metadata until it heartbeats again"), nowMs);
    for (const auto &[id, views] : viewsOfBroker)
        if (views.size() > 1)
            add(S::Warning, QStringLiteral("broker %1").arg(id), QStringLiteral("nodes see it differently (%1 versions of its registration)").arg(views.size()), nowMs);

    // Offline partitions (as the nodes decide it, the rule Kafka Metadata follows) and short ISRs.
    const ClusterModel::PartitionHealth partitions = model.partitionHealth();
    const int offline = partitions.offline, under = partitions.underReplicated;
    const QString &firstOffline = partitions.firstOffline, &firstUnder = partitions.firstUnderReplicated;
    if (offline)
        add(S::Critical, QStringLiteral("partitions"),
            QStringLiteral("%1 %2 offline (first: %3)").arg(offline).arg(offline == 1 ? QStringLiteral("partition") : QStringLiteral("partitions"), firstOffline),
            nowMs);
    if (under)
        add(S::Warning, QStringLiteral("partitions"),
            QStringLiteral("%1 %2 under-replicated (first: %3)").arg(under).arg(under == 1 ? QStringLiteral("partition") : QStringLiteral("partitions"), firstUnder),
            nowMs);

    // Consumers falling behind: a group's total lag rose at each of the last polls.
    for (const GroupEntry &g : model.groups())
        if (g.lagGrowing)
            add(S::Warning, QStringLiteral("group %1").arg(QString::fromStdString(g.group.group_id())),
                QStringLiteral("lag growing: rose at each of the last %1 polls, now %2 messages")
                    .arg(ClusterModel::kGrowingLagPolls)
                    .arg(g.totalLag),
                nowMs);

    // Stalls and lock-order inversions stay visible for a while after the event: they explain
    // what an operator may only notice minutes later.
    const auto &events = model.events();
    for (size_t i = 0; i < events.size(); ++i) {
        const EventEntry &e = events[i];
        // A live event counts from when it came; one from a history from when it happened.
        if ((e.fromHistory ? e.timeMs() : e.receivedMs) < nowMs - kEventAlertMemoryMs)
            continue;
        const QString source = QStringLiteral("node %1").arg(e.event.node_id());
        const QString text = QString::fromStdString(e.event.text());
        const qint64 when = e.event.time_unix_ms() ? e.event.time_unix_ms() : e.receivedMs;
        switch (e.event.event_kind()) {
        case admin::EVENT_KIND_WATCHDOG_STALL:
            add(S::Critical, source, QStringLiteral("stall: %1").arg(text), when);
            break;
        case admin::EVENT_KIND_LOCK_ORDER_INVERSION:
        case admin::EVENT_KIND_SELF_DEADLOCK:
            add(S::Critical, source, QStringLiteral("lock-order inversion: %1").arg(text), when);
            break;
        default:
            break;
        }
    }

    std::stable_sort(out.begin(), out.end(), [](const Alert &a, const Alert &b) {
        return a.severity == S::Critical && b.severity != S::Critical;
    });
    return out;
}

} // namespace skiff::gui
