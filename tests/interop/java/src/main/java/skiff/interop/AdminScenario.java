package skiff.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * admin BOOTSTRAP [--prefix P --replication-factor R]
 * The AdminClient calls Skiff implements, each a step that must pass; then the calls it does not
 * implement yet (none today; the place stays for the next one) under
 * "unimplemented", and a few more under "other_probes": their outcome (result, or exception class
 * and message) is recorded, never a failure.
 */
@SuppressWarnings({"deprecation", "removal"})   // listConsumerGroups: what most tools still call
final class AdminScenario {
    private AdminScenario() {}

    static final long T = 30;   // seconds for one call's future

    static Steps run(String bootstrap, Options o) {
        String prefix = o.string("prefix", "interop");
        short rf = (short) o.integer("replication-factor", 1);
        String topic = prefix + "-admin", group = prefix + "-admin-group";
        long baseTs = o.longValue("base-ts", System.currentTimeMillis() - 600_000);
        Steps steps = new Steps("admin");
        try (Admin admin = Clients.admin(bootstrap)) {
            List<Integer> nodeIds = new ArrayList<>();

            steps.run("describe_cluster", result -> {
                DescribeClusterResult d = admin.describeCluster();
                Collection<Node> nodes = d.nodes().get(T, TimeUnit.SECONDS);
                Node controller = d.controller().get(T, TimeUnit.SECONDS);
                String clusterId = d.clusterId().get(T, TimeUnit.SECONDS);
                List<String> names = new ArrayList<>();
                for (Node n : nodes) {
                    nodeIds.add(n.id());
                    names.add(n.id() + "@" + n.host() + ":" + n.port());
                }
                result.put("cluster_id", clusterId);
                result.put("controller", controller == null ? null : controller.id());
                result.put("nodes", names);
                Check.that(!nodes.isEmpty(), "no nodes");
                Check.that(clusterId != null && !clusterId.isEmpty(), "no cluster id");
            });

            // Skiff's metadata Raft quorum: every node a voter, the leader among them and the
            // controller DescribeCluster named; each voter heard from, none ahead of the leader.
            steps.run("describe_metadata_quorum", result -> {
                QuorumInfo q = admin.describeMetadataQuorum().quorumInfo().get(T, TimeUnit.SECONDS);
                Set<Integer> voters = new TreeSet<>();
                QuorumInfo.ReplicaState leader = null;
                for (QuorumInfo.ReplicaState v : q.voters()) {
                    voters.add(v.replicaId());
                    if (v.replicaId() == q.leaderId())
                        leader = v;
                }
                result.put("leader", q.leaderId());
                result.put("epoch", q.leaderEpoch());
                result.put("high_watermark", q.highWatermark());
                result.put("voters", String.valueOf(q.voters()));
                result.put("nodes", String.valueOf(q.nodes()));
                Check.that(voters.equals(new TreeSet<>(nodeIds)), "voters %s, brokers %s", voters, nodeIds);
                Check.that(leader != null, "leader %d is no voter: %s", q.leaderId(), q.voters());
                Check.that(q.leaderEpoch() > 0 && q.highWatermark() > 0, "epoch %d, high watermark %d",
                           q.leaderEpoch(), q.highWatermark());
                Check.that(q.observers().isEmpty(), "observers %s", q.observers());
                Check.that(q.nodes().keySet().equals(voters), "nodes %s for voters %s", q.nodes(), voters);
                for (QuorumInfo.ReplicaState v : q.voters()) {
                    Check.that(v.logEndOffset() >= 0 && v.logEndOffset() <= leader.logEndOffset(),
                               "voter %d's log end %d, the leader's %d", v.replicaId(), v.logEndOffset(), leader.logEndOffset());
                    Check.that(v.lastFetchTimestamp().isPresent() && v.lastCaughtUpTimestamp().isPresent(),
                               "voter %d has no fetch or caught-up time: %s", v.replicaId(), v);
                }
            });

            steps.run("create_topics", result -> {
                NewTopic t = new NewTopic(topic, 3, rf).configs(Map.of("retention.ms", "3600000"));
                Clients.createTopics(admin, List.of(t));
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, rf))).all().get(T, TimeUnit.SECONDS);
                    throw new Check.Failed("creating " + topic + " a second time succeeded");
                } catch (java.util.concurrent.ExecutionException e) {
                    Check.that(e.getCause() instanceof TopicExistsException, "second create: %s, expected TopicExistsException",
                               Steps.describe(e));
                    result.put("second_create", Steps.describe(e));
                }
            });

            steps.run("create_topics_validate_only", result -> {
                String name = prefix + "-validate-only";
                admin.createTopics(List.of(new NewTopic(name, 2, rf)), new CreateTopicsOptions().validateOnly(true))
                        .all().get(T, TimeUnit.SECONDS);
                Set<String> names = admin.listTopics().names().get(T, TimeUnit.SECONDS);
                Check.that(!names.contains(name), "validateOnly created topic %s", name);
            });

            steps.run("list_topics", result -> {
                Set<String> names = admin.listTopics().names().get(T, TimeUnit.SECONDS);
                Set<String> withInternal = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                        .get(T, TimeUnit.SECONDS);
                Set<String> internal = new TreeSet<>(withInternal);
                internal.removeAll(names);
                result.put("topics", names.size());
                result.put("internal", internal);
                Check.that(names.contains(topic), "listTopics lacks %s: %s", topic, names);
            });

            steps.run("describe_topics", result -> {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(T, TimeUnit.SECONDS).get(topic);
                List<String> parts = new ArrayList<>();
                for (TopicPartitionInfo p : d.partitions())
                    parts.add(p.partition() + " leader " + (p.leader() == null ? null : p.leader().id()) + " replicas "
                              + ids(p.replicas()) + " isr " + ids(p.isr()));
                result.put("topic_id", String.valueOf(d.topicId()));
                result.put("partitions", parts);
                Check.equal(3, d.partitions().size(), "partitions");
                for (TopicPartitionInfo p : d.partitions()) {
                    Check.equal((int) rf, p.replicas().size(), "replicas of partition " + p.partition());
                    Check.that(p.leader() != null && !p.leader().isEmpty(), "partition %d has no leader", p.partition());
                }
                Check.that(d.topicId() != null && !d.topicId().equals(org.apache.kafka.common.Uuid.ZERO_UUID), "zero topic id");
                try {
                    admin.describeTopics(List.of(prefix + "-no-such-topic")).allTopicNames().get(T, TimeUnit.SECONDS);
                    throw new Check.Failed("describing a topic that does not exist succeeded");
                } catch (java.util.concurrent.ExecutionException e) {
                    result.put("missing_topic", Steps.describe(e));
                    Check.that(e.getCause() instanceof UnknownTopicOrPartitionException,
                               "missing topic: %s, expected UnknownTopicOrPartitionException", Steps.describe(e));
                }
            });

            ConfigResource topicResource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            steps.run("describe_configs", result -> {
                Config c = admin.describeConfigs(List.of(topicResource)).all().get(T, TimeUnit.SECONDS).get(topicResource);
                ConfigEntry retention = c.get("retention.ms");
                result.put("topic_entries", c.entries().size());
                result.put("retention.ms", entry(retention));
                Check.that(retention != null && "3600000".equals(retention.value()), "retention.ms = %s", entry(retention));
                Check.equal(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source(), "source of retention.ms");
                if (!nodeIds.isEmpty()) {
                    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(nodeIds.get(0)));
                    Config bc = admin.describeConfigs(List.of(broker)).all().get(T, TimeUnit.SECONDS).get(broker);
                    result.put("broker_entries", bc.entries().size());
                    Check.that(!bc.entries().isEmpty(), "no broker configs");
                }
            });

            steps.run("incremental_alter_configs", result -> {
                alter(admin, topicResource, new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET));
                ConfigEntry set = configEntry(admin, topicResource, "retention.ms");
                result.put("after_set", entry(set));
                Check.that(set != null && "7200000".equals(set.value()), "retention.ms after SET = %s", entry(set));
                alter(admin, topicResource, new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE));
                ConfigEntry deleted = configEntry(admin, topicResource, "retention.ms");
                result.put("after_delete", entry(deleted));
                Check.that(deleted != null && deleted.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
                           "retention.ms after DELETE = %s", entry(deleted));
            });

            TopicPartition p0 = new TopicPartition(topic, 0);
            steps.run("list_offsets", result -> {
                try (KafkaProducer<byte[], byte[]> p = Clients.producer(bootstrap, Map.of())) {
                    for (int i = 0; i < 10; i++)
                        p.send(new ProducerRecord<>(topic, 0, baseTs + i * 1000L, null, Records.bytes("v" + i))).get(T, TimeUnit.SECONDS);
                }
                Map<String, Object> got = new LinkedHashMap<>();
                ListOffsetsResultInfo earliest = listOffset(admin, p0, OffsetSpec.earliest());
                ListOffsetsResultInfo latest = listOffset(admin, p0, OffsetSpec.latest());
                ListOffsetsResultInfo at5 = listOffset(admin, p0, OffsetSpec.forTimestamp(baseTs + 5000));
                ListOffsetsResultInfo max = listOffset(admin, p0, OffsetSpec.maxTimestamp());
                got.put("earliest", earliest.offset());
                got.put("latest", latest.offset());
                got.put("for_timestamp_5", at5.offset());
                got.put("max_timestamp", max.offset() + "@" + max.timestamp());
                result.put("partition0", got);
                Check.equal(0L, earliest.offset(), "earliest");
                Check.equal(10L, latest.offset(), "latest");
                Check.equal(5L, at5.offset(), "offset for timestamp of record 5");
                Check.equal(9L, max.offset(), "offset of the max timestamp");
                Check.equal(baseTs + 9000L, max.timestamp(), "max timestamp");
            });

            // The idempotent producer of list_offsets wrote 10 records to p0, one send at a time.
            steps.run("describe_log_dirs", result -> {
                Map<Integer, Map<String, org.apache.kafka.clients.admin.LogDirDescription>> dirs = admin
                        .describeLogDirs(nodeIds.isEmpty() ? List.of(1) : nodeIds).allDescriptions().get(T, TimeUnit.SECONDS);
                int hosting = 0;
                for (var node : dirs.entrySet()) {
                    Check.equal(1, node.getValue().size(), "log dirs of node " + node.getKey());
                    for (var dir : node.getValue().entrySet()) {
                        var d = dir.getValue();
                        Check.that(d.error() == null, "log dir %s of node %s: %s", dir.getKey(), node.getKey(), d.error());
                        Check.that(d.totalBytes().orElse(0) > 0 && d.usableBytes().orElse(0) > 0,
                                   "volume sizes of %s: %s / %s", dir.getKey(), d.totalBytes(), d.usableBytes());
                        var info = d.replicaInfos().get(p0);
                        if (info != null) {
                            ++hosting;
                            Check.that(info.size() > 0 && !info.isFuture(), "%s in %s: %s", p0, dir.getKey(), info);
                            result.put("node" + node.getKey(), dir.getKey() + ": " + p0 + " " + info.size() + " bytes, lag "
                                       + info.offsetLag() + ", total " + d.totalBytes().getAsLong());
                        }
                    }
                }
                Check.that(hosting > 0, "no log dir holds %s", p0);
            });
            steps.run("describe_producers", result -> {
                List<ProducerState> ps = admin.describeProducers(List.of(p0)).partitionResult(p0).get(T, TimeUnit.SECONDS)
                        .activeProducers();
                result.put("active_producers", String.valueOf(ps));
                Check.that(ps.stream().anyMatch(s -> s.lastSequence() == 9 && s.producerId() >= 0),
                           "no producer of %s with last sequence 9: %s", p0, ps);
            });

            steps.run("create_partitions", result -> {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all().get(T, TimeUnit.SECONDS);
                int n = 0;
                long deadline = Clients.deadline(Duration.ofSeconds(30));
                while (Clients.before(deadline)) {
                    n = admin.describeTopics(List.of(topic)).allTopicNames().get(T, TimeUnit.SECONDS).get(topic).partitions().size();
                    if (n == 5)
                        break;
                    Thread.sleep(200);
                }
                result.put("partitions", n);
                Check.equal(5, n, "partitions after createPartitions(5)");
                Clients.waitForLeaders(admin, List.of(topic));
            });

            // A group with committed offsets: one member reads partition 0's ten records and commits.
            KafkaConsumer<byte[], byte[]> member = null;
            try {
                member = Clients.consumer(bootstrap, group, Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30000));
                KafkaConsumer<byte[], byte[]> m = member;
                steps.run("group_member_commits", result -> {
                    m.subscribe(List.of(topic));
                    int read = 0;
                    long deadline = Clients.deadline(Duration.ofSeconds(60));
                    while (read < 10 && Clients.before(deadline))
                        read += m.poll(Duration.ofMillis(200)).count();
                    m.commitSync(Duration.ofSeconds(T));
                    result.put("read", read);
                    result.put("assignment", m.assignment().size());
                    Check.equal(10, read, "records read by the group's member");
                });

                steps.run("describe_consumer_groups_active", result -> {
                    ConsumerGroupDescription d = describeGroup(admin, group);
                    result.putAll(summary(d));
                    Check.equal(GroupState.STABLE, d.groupState(), "state with one member");
                    Check.equal(1, d.members().size(), "members");
                    Check.equal(5, d.members().iterator().next().assignment().topicPartitions().size(), "partitions assigned");
                });
            } finally {
                if (member != null)
                    member.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
            }

            steps.run("list_consumer_groups", result -> {
                Map<String, Object> listed = new TreeMap<>();
                for (ConsumerGroupListing l : admin.listConsumerGroups().all().get(T, TimeUnit.SECONDS))
                    listed.put(l.groupId(), String.valueOf(l.groupState().orElse(null)) + " " + l.type().orElse(null));
                result.put("groups", listed);
                Check.that(listed.containsKey(group), "listConsumerGroups lacks %s: %s", group, listed);
            });

            // Probes of the group listings that replace listConsumerGroups (ListGroups v5: types).
            Map<String, Object> probes = new LinkedHashMap<>();
            probes.put("listGroups", attempt(() -> listing(admin.listGroups().all().get(T, TimeUnit.SECONDS))));
            probes.put("listGroups(forConsumerGroups)", attempt(() -> listing(
                    admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(T, TimeUnit.SECONDS))));

            steps.run("describe_consumer_groups", result -> {
                ConsumerGroupDescription d = describeGroup(admin, group);
                result.putAll(summary(d));
                Check.equal(GroupState.EMPTY, d.groupState(), "state once its member left");
                Check.equal(0, d.members().size(), "members once its member left");
            });

            steps.run("list_consumer_group_offsets", result -> {
                Map<TopicPartition, OffsetAndMetadata> offsets = groupOffsets(admin, group);
                result.put("offsets", Json.offsets(offsets));
                Check.that(offsets.get(p0) != null && offsets.get(p0).offset() == 10, "committed offset of %s = %s, expected 10",
                           p0, offsets.get(p0));
            });

            steps.run("alter_consumer_group_offsets", result -> {
                admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(3, "set-by-admin")))
                        .all().get(T, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> offsets = groupOffsets(admin, group);
                result.put("offsets", Json.offsets(offsets));
                OffsetAndMetadata om = offsets.get(p0);
                Check.that(om != null && om.offset() == 3 && "set-by-admin".equals(om.metadata()),
                           "offset of %s after alter = %s, expected 3 'set-by-admin'", p0, om);
            });

            steps.run("delete_consumer_group_offsets", result -> {
                admin.deleteConsumerGroupOffsets(group, Set.of(p0)).all().get(T, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> offsets = groupOffsets(admin, group);
                result.put("offsets", Json.offsets(offsets));
                Check.that(offsets.get(p0) == null, "offset of %s after delete = %s, expected none", p0, offsets.get(p0));
            });

            steps.run("delete_consumer_groups", result -> {
                admin.deleteConsumerGroups(List.of(group)).all().get(T, TimeUnit.SECONDS);
                Set<String> listed = new TreeSet<>();
                for (ConsumerGroupListing l : admin.listConsumerGroups().all().get(T, TimeUnit.SECONDS))
                    listed.add(l.groupId());
                result.put("groups_after", listed);
                Check.that(!listed.contains(group), "%s still listed after deleteConsumerGroups", group);
                try {
                    ConsumerGroupDescription d = describeGroup(admin, group);
                    result.put("describe_after", summary(d));
                    Check.that(d.groupState() == GroupState.DEAD, "deleted group described as %s", d.groupState());
                } catch (java.util.concurrent.ExecutionException e) {
                    result.put("describe_after", Steps.describe(e));   // GroupIdNotFoundException in Kafka 4
                }
            });

            // KIP-107: the low watermark moves to the offset given, and earliest follows it; an
            // offset above the high watermark is refused (10 records: the HW is 10).
            steps.run("delete_records", result -> {
                long low = admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(2))).lowWatermarks().get(p0)
                        .get(T, TimeUnit.SECONDS).lowWatermark();
                long earliest = listOffset(admin, p0, OffsetSpec.earliest()).offset();
                result.put("low_watermark", low);
                result.put("earliest", earliest);
                Check.equal(2L, low, "low watermark after deleteRecords(before offset 2)");
                Check.equal(2L, earliest, "earliest offset after deleteRecords");
                try {
                    admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(11))).all().get(T, TimeUnit.SECONDS);
                    Check.that(false, "deleteRecords above the high watermark succeeded");
                } catch (java.util.concurrent.ExecutionException e) {
                    result.put("above_high_watermark", Steps.describe(e));
                    Check.that(e.getCause() instanceof org.apache.kafka.common.errors.OffsetOutOfRangeException,
                               "deleteRecords above the high watermark: %s", e.getCause());
                }
            });

            // Not implemented by Skiff yet: each outcome is what the report lists, not a failure.
            Map<String, Object> unimplemented = new LinkedHashMap<>();
            steps.record("unimplemented", unimplemented);

            probes.put("listOffsets(earliestLocal)", attempt(() -> "offset " + listOffset(admin, p0, OffsetSpec.earliestLocal()).offset()));
            probes.put("listOffsets(latestTiered)", attempt(() -> "offset " + listOffset(admin, p0, OffsetSpec.latestTiered()).offset()));
            probes.put("electLeaders(PREFERRED)", attempt(() -> {
                admin.electLeaders(ElectionType.PREFERRED, Set.of(p0)).all().get(T, TimeUnit.SECONDS);
                return "elected";
            }));
            probes.put("describeFeatures", attempt(() -> admin.describeFeatures().featureMetadata().get(T, TimeUnit.SECONDS)
                    .finalizedFeatures().keySet().toString()));
            probes.put("describeAcls", attempt(() -> admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                    .values().get(T, TimeUnit.SECONDS).size() + " acls"));
            probes.put("listTransactions", attempt(() -> admin.listTransactions().all().get(T, TimeUnit.SECONDS).size()
                    + " transactions"));
            probes.put("listPartitionReassignments", attempt(() -> admin.listPartitionReassignments()
                    .reassignments().get(T, TimeUnit.SECONDS).size() + " reassignments"));
            probes.put("describeClientQuotas", attempt(() -> admin.describeClientQuotas(
                    org.apache.kafka.common.quota.ClientQuotaFilter.all()).entities().get(T, TimeUnit.SECONDS).size()
                    + " entities"));
            steps.record("other_probes", probes);

            steps.run("delete_topics", result -> {
                admin.deleteTopics(List.of(topic)).all().get(T, TimeUnit.SECONDS);
                boolean gone = false;
                long deadline = Clients.deadline(Duration.ofSeconds(30));
                while (!gone && Clients.before(deadline)) {
                    gone = !admin.listTopics().names().get(T, TimeUnit.SECONDS).contains(topic);
                    if (!gone)
                        Thread.sleep(200);
                }
                result.put("gone", gone);
                Check.that(gone, "%s still listed 30s after deleteTopics", topic);
            });
        }
        return steps;
    }

    private static Map<String, Object> attempt(Callable<String> call) {
        Map<String, Object> out = new LinkedHashMap<>();
        long start = System.nanoTime();
        try {
            out.put("ok", true);
            out.put("result", call.call());
        } catch (Throwable t) {
            out.put("ok", false);
            out.putAll(Steps.outcome(t));
        }
        out.put("ms", (System.nanoTime() - start) / 1_000_000);
        return out;
    }

    private static String listing(Collection<GroupListing> groups) {
        List<String> out = new ArrayList<>();
        for (GroupListing g : groups)
            out.add(g.groupId() + " type " + g.type().orElse(null) + " state " + g.groupState().orElse(null)
                    + " protocol '" + g.protocol() + "'");
        return out.toString();
    }

    private static ListOffsetsResultInfo listOffset(Admin admin, TopicPartition tp, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(T, TimeUnit.SECONDS);
    }

    private static void alter(Admin admin, ConfigResource res, AlterConfigOp op) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        ops.put(res, List.of(op));
        admin.incrementalAlterConfigs(ops).all().get(T, TimeUnit.SECONDS);
    }

    private static ConfigEntry configEntry(Admin admin, ConfigResource res, String name) throws Exception {
        return admin.describeConfigs(List.of(res)).all().get(T, TimeUnit.SECONDS).get(res).get(name);
    }

    private static ConsumerGroupDescription describeGroup(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(T, TimeUnit.SECONDS);
    }

    private static Map<TopicPartition, OffsetAndMetadata> groupOffsets(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(T, TimeUnit.SECONDS);
    }

    private static Map<String, Object> summary(ConsumerGroupDescription d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", String.valueOf(d.groupState()));
        m.put("type", String.valueOf(d.type()));
        m.put("assignor", d.partitionAssignor());
        m.put("coordinator", d.coordinator() == null ? null : d.coordinator().id());
        List<String> members = new ArrayList<>();
        for (MemberDescription md : d.members())
            members.add(md.consumerId() + " " + md.clientId() + " " + md.assignment().topicPartitions().size() + " partitions");
        m.put("members", members);
        return m;
    }

    private static String entry(ConfigEntry e) {
        return e == null ? "absent" : e.value() + " (" + e.source() + ")";
    }

    private static List<Integer> ids(List<Node> nodes) {
        List<Integer> out = new ArrayList<>();
        for (Node n : nodes)
            out.add(n.id());
        return out;
    }
}
