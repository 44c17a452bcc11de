#include "app/MetricsPage.h"

#include "admin/AdminMetrics.h"
#include "admin/GroupViews.h"
#include "app/PrometheusText.h"
#include "cluster/RaftController.h"
#include "core/BuildInfo.h"
#include "core/RateLimitedLog.h"
#include "kafka/protocol/ApiKeys.h"
#include "kafka/server/KafkaMetrics.h"
#include "metadata/Acls.h"
#include "raft/Role.h"
#include "sync/LockStats.h"
#include "sync/Watchdog.h"

#include <filesystem>
#include <sys/resource.h>

namespace skiff::app {
namespace {

size_t openDescriptors()
{
    std::error_code ec;
    size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec))
        ++n;
    return n > 0 ? n - 1 : 0;   // not the one the listing itself holds
}

void renderTopicTraffic(PrometheusText &out, const std::vector<kafka::TopicTrafficCount> &topics)
{
    for (const kafka::TopicTrafficCount &t : topics) {
        const Labels l{{"topic", t.topic}};
        const Labels consumer{{"topic", t.topic}, {"kind", "consumer"}};
        const Labels replica{{"topic", t.topic}, {"kind", "replica"}};
        out.counter("skiff_topic_messages_in_total", "Records produced to the topic (appended here as its partitions' leader).",
                    double(t.messagesIn), l);
        out.counter("skiff_topic_bytes_in_total", "Record batch bytes produced to the topic.", double(t.bytesIn), l);
        out.counter("skiff_topic_messages_out_total", "Records sent in answer to fetches, by who fetched (consumer, replica).",
                    double(t.consumerMessagesOut), consumer);
        out.counter("skiff_topic_messages_out_total", "", double(t.replicaMessagesOut), replica);
        out.counter("skiff_topic_bytes_out_total", "Record batch bytes sent in answer to fetches, by who fetched (consumer, replica).",
                    double(t.consumerBytesOut), consumer);
        out.counter("skiff_topic_bytes_out_total", "", double(t.replicaBytesOut), replica);
        out.counter("skiff_topic_replication_messages_in_total", "Records of the topic appended here as a follower.",
                    double(t.replicaMessagesIn), l);
        out.counter("skiff_topic_replication_bytes_in_total", "Record batch bytes of the topic appended here as a follower.",
                    double(t.replicaBytesIn), l);
    }
}

// Series per group and per group and partition: a node coordinating many groups of wide topics
// would otherwise grow a scrape without bound. Past this many, the rest are counted instead.
constexpr size_t kMaxGroupSeries = 10000;

// Consumer groups coordinated here (members, and the lag where this node knows the partition's
// high watermark) and the size of the partition logs led here, from what the kafka thread
// published last (about once a second).
void dataPlaneSeries(PrometheusText &out, const kafka::KafkaMetrics &k)
{
    size_t series = 0, omitted = 0;
    const auto groups = k.groups.snapshot();
    for (const auto &g : *groups) {
        if (series++ >= kMaxGroupSeries) {
            ++omitted;
            continue;
        }
        out.gauge("skiff_consumer_group_members", "Members of a consumer group this node coordinates.",
                  double(g.members.size()), {{"group", g.groupId}});
    }
    for (const auto &g : *groups) {
        for (const auto &o : g.offsets) {
            if (!o.highWatermark || o.committed < 0)
                continue;
            if (series++ >= kMaxGroupSeries) {
                ++omitted;
                continue;
            }
            out.gauge("skiff_consumer_group_lag",
                      "Messages a group coordinated here has not committed yet in a partition this node hosts: "
                      "high watermark minus committed offset.",
                      double(admin::consumerLag(*o.highWatermark, o.committed)),
                      {{"group", g.groupId}, {"topic", o.topic}, {"partition", std::to_string(o.partition)}});
        }
    }
    out.gauge("skiff_consumer_group_series_omitted",
              "Consumer group series left out of this page past its bound of " + std::to_string(kMaxGroupSeries) + ".",
              double(omitted));
    for (const auto &p : *k.replication.snapshot())
        out.gauge("skiff_partition_log_size_bytes", "Bytes of a partition log led here (its segments, indexes left out).",
                  double(p.sizeBytes), {{"topic", p.topic}, {"partition", std::to_string(p.partition)}});
}

} // namespace

std::string renderMetrics(const MetricsSources &src)
{
    PrometheusText out;
    const auto &build = core::buildInfo();
    out.gauge("skiff_build_info", "Build of the running binary (always 1).", 1,
              {{"version", build.version}, {"git", build.gitHash}, {"built", build.buildTime}});
    out.gauge("skiff_process_start_time_seconds", "Process start, seconds since the Unix epoch.", src.processStartSeconds);
    out.gauge("skiff_process_open_fds", "File descriptors this process holds.", double(openDescriptors()));
    if (rlimit limit {}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0)
        out.gauge("skiff_process_max_fds", "The open-file limit (RLIMIT_NOFILE, soft).", double(limit.rlim_cur));

    if (src.controller) {
        const auto status = src.controller->clusterStatus();
        out.gauge("skiff_raft_term", "Current Raft term of this node.", double(status->term));
        out.gauge("skiff_raft_leader_id", "Raft leader this node knows (0: none).", double(status->leaderId));
        for (raft::Role r : {raft::Role::Follower, raft::Role::PreCandidate, raft::Role::Candidate, raft::Role::Leader})
            out.gauge("skiff_raft_role", "1 for this node's current Raft role.", status->role == r ? 1 : 0,
                      {{"role", raft::roleName(r)}});
        out.gauge("skiff_raft_commit_index", "Highest metadata log index known committed.", double(status->commit));
        out.gauge("skiff_raft_applied_index", "Highest metadata log index applied here.", double(status->applied));
        out.counter("skiff_raft_leader_changes_total", "Leader changes seen by this node.", double(status->leaderChanges));
        out.counter("skiff_raft_elections_total", "Elections (pre-vote or vote) this node started.",
                    double(status->electionsStarted));
        out.counter("skiff_raft_peer_frames_refused_total",
                    "Peer frames refused: from non-members, speaking for another node, or that the Raft core refused.",
                    double(status->peerFramesRefused));
        out.gauge("skiff_raft_voters", "Voters in the current configuration.", double(status->voters.size()));
        out.gauge("skiff_raft_learners", "Learners in the current configuration.", double(status->learners.size()));
        out.gauge("skiff_leadership_lease_held",
                  "1 while this broker holds its leadership lease (0: it may be fenced, so it leads nothing).",
                  src.controller->leaseHeld() ? 1 : 0);

        const auto &loop = src.controller->readyLoopMetrics();
        out.counter("skiff_ready_loop_iterations_total", "Ready-loop iterations.", double(loop.iterations.load()));
        out.counter("skiff_ready_loop_entries_applied_total", "Committed entries applied.", double(loop.entriesApplied.load()));
        out.histogram("skiff_ready_loop_interval_seconds", "Time between the starts of two Ready-loop iterations.",
                      loop.intervalMicros.snapshot());
        out.histogram("skiff_ready_loop_phase_seconds", "Time per Ready-loop iteration in each phase.",
                      loop.persistMicros.snapshot(), {{"phase", "persist"}});
        out.histogram("skiff_ready_loop_phase_seconds", "", loop.sendMicros.snapshot(), {{"phase", "send"}});
        out.histogram("skiff_ready_loop_phase_seconds", "", loop.applyMicros.snapshot(), {{"phase", "apply"}});
        out.histogram("skiff_ready_loop_phase_seconds", "", loop.advanceMicros.snapshot(), {{"phase", "advance"}});
        out.histogram("skiff_wal_fsync_seconds", "fdatasync latency of the metadata WAL.", src.controller->walFsyncLatency());

        const auto image = src.controller->image();
        size_t fenced = 0;
        for (const auto &[id, b] : image->brokers)
            fenced += b.fenced ? 1 : 0;
        out.gauge("skiff_brokers_registered", "Brokers in the applied registry.", double(image->brokers.size()));
        out.gauge("skiff_brokers_fenced", "Registered brokers that are fenced.", double(fenced));
        out.gauge("skiff_topics", "Topics in the applied metadata.", double(image->topics.size()));
    }

    for (const auto &lock : sync::lockStatsSnapshot()) {
        const Labels l{{"lock", lock.name}};
        out.counter("skiff_lock_acquisitions_total", "Acquisitions of a tracked lock class.", double(lock.acquisitions), l);
        out.counter("skiff_lock_contended_total", "Acquisitions that had to wait.", double(lock.contended), l);
        out.histogram("skiff_lock_wait_seconds", "Wait time of contended acquisitions.", lock.waitMicros, l);
        out.histogram("skiff_lock_hold_seconds", "Hold time of a tracked lock class.", lock.holdMicros, l);
    }

    if (src.watchdog) {
        for (const auto &loop : src.watchdog->loopStats()) {
            const Labels l{{"loop", loop.name}};
            out.counter("skiff_watchdog_misses_total", "Silences longer than watchdog.miss.ms.", double(loop.misses), l);
            out.counter("skiff_watchdog_stalls_total", "Silences longer than watchdog.stall.ms (one report each).",
                        double(loop.stalls), l);
            out.gauge("skiff_watchdog_loop_healthy", "1 while the loop beats within the stall threshold.", loop.healthy ? 1 : 0, l);
        }
    }

    if (src.kafka) {
        const auto &k = *src.kafka;
        k.forEachAnsweredApi([&out](const char *api, uint64_t n, const metrics::Histogram &latency, auto variants) {
            const Labels l{{"api", api}};
            out.counter("skiff_kafka_requests_total", "Kafka requests answered, by API.", double(n), l);
            out.histogram("skiff_kafka_request_seconds", "Kafka request latency, arrival to response, by API.",
                          latency.snapshot(), l);
            variants([&out, api](const char *variant, uint64_t m, const metrics::Histogram &h) {
                const Labels v{{"api", api}, {"variant", variant}};
                out.counter("skiff_kafka_requests_by_variant_total",
                            "Kafka requests answered, Produce by acks (acks=all, acks=1, acks=0) and Fetch by who asks "
                            "(consumer, replica); each is in skiff_kafka_requests_total too.",
                            double(m), v);
                out.histogram("skiff_kafka_request_by_variant_seconds",
                              "Kafka request latency, Produce by acks and Fetch by consumer or replica (a follower's Fetch "
                              "long-polls for new records).",
                              h.snapshot(), v);
            });
        });
        out.counter("skiff_kafka_bytes_in_total", "Bytes of Kafka request frames received.", double(k.bytesIn.load()));
        out.counter("skiff_kafka_bytes_out_total", "Bytes of Kafka responses sent.", double(k.bytesOut.load()));
        out.gauge("skiff_kafka_connections", "Open Kafka connections.", double(k.connections.load()));
        out.counter("skiff_kafka_connections_accepted_total", "Kafka connections accepted.", double(k.connectionsAccepted.load()));
        for (int r = 0; r < kafka::kConnectionCloseReasons; ++r)
            out.counter("skiff_kafka_connections_closed_total",
                        "Kafka connections closed, by reason (client, invalid_frame, refused_request, request_timeout, idle, "
                        "shutdown, tls_handshake, authentication).",
                        double(k.connectionsClosed[size_t(r)].load()),
                        {{"reason", kafka::connectionCloseReasonName(kafka::ConnectionCloseReason(r))}});
        out.counter("skiff_kafka_sasl_authentications_total",
                    "SASL exchanges on Kafka listeners that ended, by result (success, failure: a refused mechanism, "
                    "an unknown user or a wrong password).",
                    double(k.saslAuthenticationsSucceeded.load()), {{"result", "success"}});
        out.counter("skiff_kafka_sasl_authentications_total", "", double(k.saslAuthenticationsFailed.load()),
                    {{"result", "failure"}});
        // Only the pairs that were ever denied: 8 resource types x 15 operations would be noise.
        for (int type = 0; type < kafka::KafkaMetrics::kAclResourceTypes; ++type)
            for (int op = 0; op < kafka::KafkaMetrics::kAclOperations; ++op)
                if (const uint64_t denied = k.authorizationDenials[size_t(type)][size_t(op)].load())
                    out.counter("skiff_kafka_authorization_denials_total",
                                "Operations the authorizer denied (authorizer.enable), by resource type and operation; "
                                "a pair appears once first denied.",
                                double(denied),
                                {{"resource_type", std::string(metadata::aclResourceTypeName(metadata::AclResourceType(type)))},
                                 {"operation", std::string(metadata::aclOperationName(metadata::AclOperation(op)))}});
        // Every type is listed (0 until a quota throttles), so a dashboard finds the series at once.
        for (int t = 0; t < kafka::kQuotaTypes; ++t)
            out.counter("skiff_kafka_quota_throttled_total",
                        t == 0 ? "Kafka responses throttled by a client quota, by quota type (produce: producer_byte_rate, "
                                 "fetch: consumer_byte_rate, request: request_percentage)."
                               : "",
                        double(k.quotaThrottles.throttled[size_t(t)].load()),
                        {{"type", kafka::quotaTypeName(kafka::QuotaType(t))}});
        for (int t = 0; t < kafka::kQuotaTypes; ++t)
            out.counter("skiff_kafka_quota_throttle_seconds_total",
                        t == 0 ? "Time clients were throttled for by client quotas (the throttle_time_ms given), by quota type."
                               : "",
                        double(k.quotaThrottles.throttleMillis[size_t(t)].load()) / 1000.0,
                        {{"type", kafka::quotaTypeName(kafka::QuotaType(t))}});
        out.gauge("skiff_kafka_request_bytes_being_read",
                  "Bytes of Kafka requests received and not yet dispatched, all connections together.",
                  double(k.readBudget.bytesBeingRead.load()));
        out.gauge("skiff_kafka_queued_max_request_bytes", "The bound on those bytes (queued.max.request.bytes).",
                  double(k.queuedMaxRequestBytes.load()));
        out.gauge("skiff_kafka_connections_read_paused", "Kafka connections not read because the bound is reached.",
                  double(k.readBudget.pausedConnections.load()));
        out.counter("skiff_kafka_read_pauses_total", "Times a Kafka connection stopped reading because the bound was reached.",
                    double(k.readBudget.pauses.load()));
        out.gauge("skiff_partitions_offline", "Partitions assigned to this broker whose log cannot be opened (retried with backoff).",
                  double(k.partitionsOffline.load()));
        out.gauge("skiff_log_open_files", "Segment files (.log, .index, .timeindex) the partition logs hold open.",
                  double(k.logOpenFiles.load()));
        out.gauge("skiff_log_open_files_capacity", "Segment files the logs keep open at most, unsynced ones aside (log.max.open.files).",
                  double(k.logOpenFilesCapacity.load()));
        out.gauge("skiff_partitions_led", "Partitions this broker leads.", double(k.leaderPartitions.load()));
        out.gauge("skiff_under_replicated_partitions", "Partitions this broker leads whose ISR is smaller than their replica list.",
                  double(k.underReplicatedPartitions.load()));
        out.counter("skiff_isr_shrinks_total", "ISR shrinks this broker asked for as leader and the controller applied.",
                    double(k.isrShrinks.load()));
        out.counter("skiff_isr_expands_total", "ISR expansions this broker asked for as leader and the controller applied.",
                    double(k.isrExpands.load()));
        out.gauge("skiff_max_follower_lag_messages", "The furthest any follower of a partition led here is behind its leader's log end.",
                  double(k.maxFollowerLag.load()));
        out.histogram("skiff_produce_replication_wait_seconds",
                      "Time an acks=all produce waited, after the leader's durable write, for the high watermark (every ISR member's fsync).",
                      k.replicationWaitMicros.snapshot());
        out.histogram("skiff_log_fsync_seconds",
                      "Time to make one partition log durable (its fdatasyncs in a group commit): what producers with acks wait on.",
                      k.logFsyncMicros.snapshot());
        dataPlaneSeries(out, k);
    }
    if (src.kafka)
        renderTopicTraffic(out, src.kafka->traffic.snapshot());
    if (src.disks) {
        for (const log::DiskUsageInfo &d : src.disks()) {
            const Labels l{{"path", d.path}, {"role", d.role}};
            out.gauge("skiff_disk_total_bytes", "Size of a file system the node writes to (role: data, metadata).",
                      double(d.totalBytes), l);
            out.gauge("skiff_disk_available_bytes", "Bytes the node may still write on that file system (statvfs f_bavail).",
                      double(d.availableBytes), l);
            if (d.role == "data")
                out.gauge("skiff_partition_log_bytes", "The partition logs' segment files together (refreshed every second).",
                          double(d.partitionLogBytes));
        }
    }
    if (src.admin) {
        out.gauge("skiff_admin_connections", "Open admin socket connections.", double(src.admin->connections.load()));
        for (int r = 0; r < admin::kAdminCloseReasons; ++r)
            out.counter("skiff_admin_connections_closed_total",
                        "Admin socket connections closed, by reason (client, malformed_frame, slow_reader, request_timeout, idle, tls_handshake).",
                        double(src.admin->connectionsClosed[size_t(r)].load()),
                        {{"reason", admin::adminCloseReasonName(admin::AdminCloseReason(r))}});
        out.counter("skiff_admin_mutations_refused_total",
                    "Mutating admin requests refused for want of what admin.mutation.auth asks (token, client certificate).",
                    double(src.admin->mutationsRefused.load()));
    }

    for (core::LogFlood flood : core::kLogFloods)
        out.counter("skiff_log_lines_suppressed_total",
                    "Log lines held back by the repeated-line limiter (summed up in the log once a "
                    "10 s interval is over), by kind of flood.",
                    double(core::suppressedLogLines(flood)), {{"category", core::logFloodName(flood)}});
    return out.text();
}

} // namespace skiff::app
