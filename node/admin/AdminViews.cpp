#include "admin/AdminViews.h"

#include "admin/GroupViews.h"
#include "cluster/RaftController.h"
#include "cluster/Readiness.h"
#include "core/BuildInfo.h"
#include "kafka/group/GroupState.h"
#include "metadata/PartitionServing.h"
#include "sync/LockStats.h"

#include <QDateTime>
#include <QUuid>

#include <algorithm>
#include <map>
#include <set>

namespace skiff::admin {
namespace {

void fillHistogram(Histogram *out, const metrics::HistogramSnapshot &h)
{
    out->set_count(h.count());
    out->set_sum(h.sum());
    out->set_min(h.min());
    out->set_max(h.max());
    out->set_p50(h.quantile(0.5));
    out->set_p90(h.quantile(0.9));
    out->set_p99(h.quantile(0.99));
    out->set_p999(h.quantile(0.999));
    // Trailing empty buckets say nothing; the reader pads with zeros.
    size_t used = h.counts().size();
    while (used > 0 && h.counts()[used - 1] == 0)
        --used;
    for (size_t i = 0; i < used; ++i)
        out->add_bucket_counts(h.counts()[i]);
}

void fillLockClass(LockClass *out, const sync::LockClassStats &stats)
{
    out->set_name(stats.name);
    out->set_acquisitions(stats.acquisitions);
    out->set_contended(stats.contended);
    fillHistogram(out->mutable_wait_micros(), stats.waitMicros);
    fillHistogram(out->mutable_hold_micros(), stats.holdMicros);
    for (const auto &h : stats.holders) {
        LockHolder *holder = out->add_holders();
        holder->set_thread(h.thread);
        holder->set_site(h.site);
        holder->set_held_for_micros(h.heldForMicros);
    }
}

void fillBroker(Broker *out, const metadata::BrokerInfo &b, const cluster::ClusterStatus &status)
{
    out->set_id(b.id);
    out->set_host(b.kafkaHost);
    out->set_port(b.kafkaPort);
    out->set_rack(b.rack);
    out->set_fenced(b.fenced);
    out->set_incarnation_id(b.incarnationId);
    out->set_admin_address(b.adminAddress);
    out->set_raft_address(b.raftAddress);
    if (auto it = status.brokerHeartbeatAgeMs.find(b.id); it != status.brokerHeartbeatAgeMs.end()) {
        out->set_heartbeat_known(true);
        out->set_last_heartbeat_age_ms(it->second);
    }
}

void fillLinks(google::protobuf::RepeatedPtrField<PeerLink> *out, const cluster::ClusterStatus &status)
{
    for (const auto &l : status.links) {
        PeerLink *link = out->Add();
        link->set_peer(l.peer);
        link->set_address(l.address);
        link->set_state(l.state);
        link->set_last_error(l.lastError);
        link->set_direction(l.direction);
        link->set_since_unix_ms(l.sinceUnixMs);
        link->set_bytes_sent(l.bytesSent);
        link->set_bytes_received(l.bytesReceived);
        link->set_frames_dropped(l.framesDropped);
    }
}

PartitionState toProto(metadata::PartitionState state)
{
    switch (state) {
    case metadata::PartitionState::Ok:
        return PARTITION_STATE_OK;
    case metadata::PartitionState::Offline:
        return PARTITION_STATE_OFFLINE;
    case metadata::PartitionState::StorageOffline:
        return PARTITION_STATE_STORAGE_OFFLINE;
    }
    return PARTITION_STATE_UNKNOWN;
}

void fillReplication(PartitionReplication *out, const kafka::LedPartition &led)
{
    out->set_leader_epoch(led.leaderEpoch);
    out->set_high_watermark(led.highWatermark);
    out->set_log_end(led.logEnd);
    out->set_log_size_reported(true);
    out->set_log_start(led.logStart);
    out->set_size_bytes(led.sizeBytes);
    out->set_segments(led.segments);
    for (const kafka::ReplicaProgress &f : led.followers) {
        ReplicaProgress *r = out->add_followers();
        r->set_broker(f.broker);
        r->set_log_end(f.position);
        r->set_lag(f.lag);
        r->set_caught_up_age_ms(f.caughtUpAgoMs);
        r->set_in_isr(f.inIsr);
    }
}

void fillKafkaApi(KafkaApiCount *out, const AdminContext::KafkaApiStats &api)
{
    out->set_api(api.api);
    out->set_requests(api.requests);
    fillHistogram(out->mutable_latency_micros(), api.latencyMicros);
    for (const auto &variant : api.variants)
        fillKafkaApi(out->add_variants(), variant);
}

void fillTopicTraffic(TopicTraffic *out, const kafka::TopicTrafficCount &t)
{
    out->set_topic(t.topic);
    out->set_messages_in(t.messagesIn);
    out->set_bytes_in(t.bytesIn);
    out->set_consumer_messages_out(t.consumerMessagesOut);
    out->set_consumer_bytes_out(t.consumerBytesOut);
    out->set_replica_messages_out(t.replicaMessagesOut);
    out->set_replica_bytes_out(t.replicaBytesOut);
    out->set_replica_messages_in(t.replicaMessagesIn);
    out->set_replica_bytes_in(t.replicaBytesIn);
}

std::string uuidText(const metadata::Uuid &id)
{
    const QByteArray bytes(reinterpret_cast<const char *>(id.data()), qsizetype(id.size()));
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces).toStdString();
}

} // namespace

StatusSnapshot buildStatus(const AdminContext &context, const cluster::ClusterStatus &status,
                           const metadata::MetadataImage &image)
{
    StatusSnapshot s;
    const auto &build = core::buildInfo();
    s.set_node_id(context.nodeId);
    s.set_cluster_id(context.clusterId);
    s.mutable_build()->set_version(build.version);
    s.mutable_build()->set_git_hash(build.gitHash);
    s.mutable_build()->set_build_time(build.buildTime);
    s.set_process_start_unix_ms(context.processStartUnixMs);
    s.set_server_time_unix_ms(QDateTime::currentMSecsSinceEpoch());
    s.set_incarnation_id(context.incarnationId);
    const std::string state = context.startupState ? context.startupState() : std::string();
    s.set_startup_state(state);
    s.set_role(raft::roleName(status.role));
    s.set_leader_id(status.leaderId);
    s.set_term(status.term);
    s.set_vote(status.vote);
    s.set_commit(status.commit);
    s.set_applied(status.applied);
    const cluster::Readiness r = cluster::nodeReadiness(status, state);
    s.set_ready(r.ready);
    s.set_ready_reason(r.reason);
    for (uint64_t v : status.voters)
        s.add_voters(v);
    for (uint64_t l : status.learners)
        s.add_learners(l);
    for (const auto &[id, broker] : image.brokers)
        fillBroker(s.add_brokers(), broker, status);
    s.set_ready_iterations(status.readyIterations);
    s.set_max_loop_gap_ms(status.maxLoopGapMs);
    s.set_leader_changes(status.leaderChanges);
    s.set_elections_started(status.electionsStarted);
    s.set_halt_reason(status.haltReason);
    s.set_lease_reported(true);
    s.set_lease_remaining_ms(status.leaseRemainingMs);
    for (const auto &stats : sync::lockStatsSnapshot())
        fillLockClass(s.add_locks(), stats);
    fillLinks(s.mutable_links(), status);
    s.set_topic_count(image.topics.size());
    uint64_t partitions = 0;
    for (const auto &[name, topic] : image.topics)
        partitions += topic->partitions.size();
    s.set_partition_count(partitions);
    if (context.controller) {
        const auto &loop = context.controller->readyLoopMetrics();
        fillHistogram(s.mutable_ready_loop_interval_micros(), loop.intervalMicros.snapshot());
        const std::pair<const char *, const metrics::Histogram *> phases[] = {
            {"persist", &loop.persistMicros}, {"send", &loop.sendMicros}, {"apply", &loop.applyMicros},
            {"advance", &loop.advanceMicros}};
        for (const auto &[name, h] : phases) {
            auto *p = s.add_ready_loop_phases();
            p->set_phase(name);
            fillHistogram(p->mutable_micros(), h->snapshot());
        }
        const metrics::HistogramSnapshot wal = context.controller->walFsyncLatency();
        s.set_wal_fsync_measured(wal.count() > 0);
        if (wal.count() > 0)
            fillHistogram(s.mutable_wal_fsync_micros(), wal);
    }
    if (context.logFsyncLatency) {
        const metrics::HistogramSnapshot log = context.logFsyncLatency();
        s.set_log_fsync_measured(log.count() > 0);
        if (log.count() > 0)
            fillHistogram(s.mutable_log_fsync_micros(), log);
    }
    if (context.maxFollowerLag) {
        s.set_replication_measured(true);
        s.set_max_follower_lag(context.maxFollowerLag());
    }
    if (context.kafkaRequests) {
        s.set_kafka_requests_measured(true);
        for (const auto &api : context.kafkaRequests())
            fillKafkaApi(s.add_kafka_requests(), api);
    }
    if (context.topicTraffic) {
        s.set_traffic_reported(true);
        for (const kafka::TopicTrafficCount &t : context.topicTraffic())
            fillTopicTraffic(s.add_topic_traffic(), t);
    }
    if (context.disks) {
        s.set_disks_reported(true);
        for (const log::DiskUsageInfo &d : context.disks()) {
            DiskUsage *out = s.add_disks();
            out->set_path(d.path);
            out->set_role(d.role);
            out->set_total_bytes(d.totalBytes);
            out->set_available_bytes(d.availableBytes);
            out->set_partition_log_bytes(d.partitionLogBytes);
        }
    }
    return s;
}

RaftDescription describeRaft(const cluster::ClusterStatus &status, const metadata::MetadataImage &image)
{
    RaftDescription d;
    d.set_node_id(status.nodeId);
    d.set_role(raft::roleName(status.role));
    d.set_term(status.term);
    d.set_leader_id(status.leaderId);
    d.set_commit(status.commit);
    d.set_applied(status.applied);
    d.set_last_index(status.lastIndex);
    d.set_lead_transferee(status.leadTransferee);
    for (uint64_t v : status.voters)
        d.add_voters(v);
    for (uint64_t l : status.learners)
        d.add_learners(l);
    if (const metadata::BrokerInfo *leader = image.broker(status.leaderId))
        d.set_leader_admin_address(leader->adminAddress);
    for (const raft::PeerStatus &p : status.progress) {
        PeerProgress *out = d.add_peers();
        out->set_id(p.id);
        out->set_match(p.match);
        out->set_next(p.next);
        out->set_state(raft::progressStateName(p.state));
        out->set_inflight(p.inflight);
        out->set_ticks_since_contact(p.ticksSinceContact);
        out->set_learner(p.isLearner);
        out->set_recent_active(p.recentActive);
        out->set_pending_snapshot(p.pendingSnapshot);
        if (auto it = status.raftAddresses.find(p.id); it != status.raftAddresses.end())
            out->set_address(it->second);
        if (p.id == status.nodeId) {
            out->set_link_state("self");
            continue;
        }
        // The outbound link is the one this node sends on; an inbound one is the fallback.
        auto link = std::find_if(status.links.begin(), status.links.end(), [&](const cluster::ClusterStatus::Link &l) {
            return l.peer == p.id && l.direction == "outbound";
        });
        if (link == status.links.end())
            link = std::find_if(status.links.begin(), status.links.end(),
                                [&](const cluster::ClusterStatus::Link &l) { return l.peer == p.id; });
        if (link != status.links.end()) {
            out->set_link_state(link->state);
            out->set_link_error(link->lastError);
            if (out->address().empty())
                out->set_address(link->address);
        } else {
            out->set_link_state("none");
        }
    }
    return d;
}

BrokerList listBrokers(const cluster::ClusterStatus &status, const metadata::MetadataImage &image)
{
    BrokerList list;
    list.set_controller_id(image.controllerId);
    for (const auto &[id, broker] : image.brokers)
        fillBroker(list.add_brokers(), broker, status);
    return list;
}

TopicList listTopics(const metadata::MetadataImage &image)
{
    TopicList list;
    for (const auto &[name, topic] : image.topics) {
        Topic *t = list.add_topics();
        t->set_name(name);
        t->set_id(uuidText(topic->id));
        t->set_partitions(int32_t(topic->partitions.size()));
        t->set_replication_factor(topic->partitions.empty() ? 0 : int32_t(topic->partitions[0].replicas.size()));
        t->mutable_configs()->insert(topic->configs.begin(), topic->configs.end());
        int32_t offline = 0;
        int32_t underReplicated = 0;
        for (const auto &p : topic->partitions) {
            offline += metadata::servingOf(image, p).state == metadata::PartitionState::Ok ? 0 : 1;
            underReplicated += p.isr.size() < p.replicas.size() ? 1 : 0;
        }
        t->set_offline_partitions(offline);
        t->set_under_replicated_partitions(underReplicated);
    }
    return list;
}

Result<PartitionList> describePartitions(const metadata::MetadataImage &image, const std::vector<std::string> &topics,
                                         uint64_t nodeId, const std::vector<kafka::LedPartition> &led)
{
    std::map<std::pair<std::string, int32_t>, const kafka::LedPartition *> ledByPartition;
    for (const kafka::LedPartition &l : led)
        ledByPartition[{l.topic, l.partition}] = &l;
    std::vector<const metadata::TopicInfo *> selected;
    if (topics.empty()) {
        for (const auto &[name, topic] : image.topics)
            selected.push_back(topic.get());
    }
    for (const std::string &name : std::set<std::string>(topics.begin(), topics.end())) {
        const metadata::TopicInfo *topic = image.topic(name);
        if (!topic)
            return notFound("topic '" + name + "' does not exist");
        selected.push_back(topic);
    }
    PartitionList list;
    for (const metadata::TopicInfo *topic : selected) {
        for (const auto &p : topic->partitions) {
            Partition *out = list.add_partitions();
            out->set_topic(topic->name);
            out->set_partition(p.partition);
            const metadata::PartitionServing serving = metadata::servingOf(image, p);
            out->set_leader(serving.leader);
            out->set_assigned_leader(p.leader);
            out->set_state(toProto(serving.state));
            out->set_leader_epoch(p.leaderEpoch);
            out->set_partition_epoch(p.partitionEpoch);
            out->set_under_replicated(p.isr.size() < p.replicas.size());
            for (uint64_t r : p.replicas)
                out->add_replicas(r);
            for (uint64_t i : p.isr)
                out->add_isr(i);
            for (uint64_t o : serving.offlineReplicas)
                out->add_offline_replicas(o);
            // The view is published about once a second: one from an older epoch, or from before
            // this node lost the leadership, would describe a replication that is over.
            auto mine = ledByPartition.find({topic->name, p.partition});
            if (nodeId != 0 && serving.leader == nodeId && mine != ledByPartition.end()
                && mine->second->leaderEpoch == p.leaderEpoch)
                fillReplication(out->mutable_replication(), *mine->second);
        }
    }
    return list;
}

GroupList describeGroups(const std::vector<kafka::group::GroupDescription> &coordinated,
                         const std::vector<std::string> &names, uint64_t nodeId)
{
    const std::set<std::string> wanted(names.begin(), names.end());
    GroupList list;
    for (const kafka::group::GroupDescription &d : coordinated) {
        if (!wanted.empty() && !wanted.count(d.groupId))
            continue;
        Group *g = list.add_groups();
        g->set_group_id(d.groupId);
        g->set_state(kafka::group::groupStateName(d.state));
        g->set_protocol_type(d.protocolType);
        g->set_protocol(d.protocol);
        g->set_generation(d.generation);
        g->set_coordinator(nodeId);
        for (const kafka::group::MemberDescription &m : d.members) {
            GroupMember *out = g->add_members();
            out->set_member_id(m.memberId);
            out->set_group_instance_id(m.groupInstanceId);
            out->set_client_id(m.clientId);
            out->set_client_host(m.clientHost);
            for (const kafka::group::AssignedPartitions &a : m.assignment) {
                GroupMember::Assigned *assigned = out->add_assignment();
                assigned->set_topic(a.topic);
                assigned->mutable_partitions()->Add(a.partitions.begin(), a.partitions.end());
            }
        }
        for (const kafka::group::OffsetDescription &o : d.offsets) {
            GroupOffset *out = g->add_offsets();
            out->set_topic(o.topic);
            out->set_partition(o.partition);
            out->set_committed(o.committed);
            if (o.highWatermark)
                setLag(*out, *o.highWatermark);
        }
        updateTotalLag(*g);
    }
    return list;
}

LockStatsList lockStats()
{
    LockStatsList list;
    for (const auto &stats : sync::lockStatsSnapshot())
        fillLockClass(list.add_locks(), stats);
    return list;
}

} // namespace skiff::admin
