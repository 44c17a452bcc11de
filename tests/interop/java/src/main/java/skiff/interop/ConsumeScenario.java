package skiff.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * consume BOOTSTRAP [the options produce was given]
 * Reads back what produce wrote, exactly (keys, values, headers, timestamps, offsets), through a
 * classic-protocol group; then two members splitting the partitions (range, cooperative-sticky),
 * static membership across a member's restart, seek, offsetsForTimes, pause/resume, commitSync.
 */
final class ConsumeScenario {
    private ConsumeScenario() {}

    static Steps run(String bootstrap, Options o) {
        Records r = new Records(o);
        if (r.count / r.partitions < 10 || r.largeCount < 1)
            throw new IllegalArgumentException("consume needs at least 10 records per partition and 1 large record");
        String topic = r.codecTopic("none");
        Steps steps = new Steps("consume");

        steps.run("read_back", result -> readBack(bootstrap, r, result));
        steps.run("range_split", result -> split(bootstrap, r, RangeAssignor.class.getName(), r.prefix + "-range", result));
        steps.run("cooperative_sticky_split",
                  result -> split(bootstrap, r, CooperativeStickyAssignor.class.getName(), r.prefix + "-coop", result));
        steps.run("static_membership", result -> staticMembership(bootstrap, r, result));

        steps.run("seek", result -> {
            try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, null, Map.of())) {
                TopicPartition tp = new TopicPartition(topic, 0);
                long end = r.perPartition(0);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                Check.equal(0L, c.position(tp), "position after seekToBeginning");
                Check.equal(0L, firstRecord(c).offset(), "first offset after seekToBeginning");
                c.seek(tp, 7);
                ConsumerRecord<byte[], byte[]> rec = firstRecord(c);
                Check.equal(7L, rec.offset(), "first offset after seek(7)");
                Check.that(Records.difference(r.codecRecord("none", r.codecIndex(0, 7)), rec.key(), rec.value(),
                                              rec.headers(), rec.timestamp()) == null, "record at offset 7 differs");
                c.seekToEnd(List.of(tp));
                Check.equal(end, c.position(tp), "position after seekToEnd");
                Check.equal(Map.of(tp, 0L), c.beginningOffsets(List.of(tp)), "beginningOffsets");
                Check.equal(Map.of(tp, end), c.endOffsets(List.of(tp)), "endOffsets");
                result.put("end_offset", end);
            }
        });

        steps.run("offsets_for_times", result -> {
            try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, null, Map.of())) {
                TopicPartition tp = new TopicPartition(topic, 1);
                long ts5 = r.codecRecord("none", r.codecIndex(1, 5)).timestamp();
                Map<String, Object> got = new LinkedHashMap<>();
                OffsetAndTimestamp exact = c.offsetsForTimes(Map.of(tp, ts5)).get(tp);
                OffsetAndTimestamp between = c.offsetsForTimes(Map.of(tp, ts5 + 1)).get(tp);
                OffsetAndTimestamp before = c.offsetsForTimes(Map.of(tp, r.baseTs - 60_000)).get(tp);
                OffsetAndTimestamp after = c.offsetsForTimes(Map.of(tp, r.baseTs + r.count + 60_000)).get(tp);
                got.put("exact", show(exact));
                got.put("between", show(between));
                got.put("before_all", show(before));
                got.put("after_all", show(after));
                result.put("partition1", got);
                Check.that(exact != null && exact.offset() == 5 && exact.timestamp() == ts5,
                           "offsetsForTimes(ts of offset 5) = %s, expected offset 5 at %d", show(exact), ts5);
                Check.that(between != null && between.offset() == 6,
                           "offsetsForTimes(ts of offset 5 + 1) = %s, expected offset 6", show(between));
                Check.that(before != null && before.offset() == 0, "offsetsForTimes(before all) = %s, expected 0", show(before));
                Check.that(after == null, "offsetsForTimes(after all) = %s, expected null", show(after));
            }
        });

        steps.run("pause_resume", result -> {
            try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, null,
                    Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20))) {
                TopicPartition p0 = new TopicPartition(topic, 0), p1 = new TopicPartition(topic, 1);
                c.assign(List.of(p0, p1));
                c.seekToBeginning(List.of(p0, p1));
                c.pause(List.of(p0));
                Check.equal(Set.of(p0), c.paused(), "paused()");
                Map<Integer, Integer> whilePaused = readUntil(c, Map.of(1, r.perPartition(1)), Duration.ofSeconds(30));
                result.put("while_paused", whilePaused);
                Check.equal(null, whilePaused.get(0), "records of paused partition 0 while paused");
                Check.equal(r.perPartition(1), whilePaused.get(1), "records of partition 1 while 0 paused");
                c.resume(List.of(p0));
                Check.equal(Set.of(), c.paused(), "paused() after resume");
                Map<Integer, Integer> afterResume = readUntil(c, Map.of(0, r.perPartition(0)), Duration.ofSeconds(30));
                result.put("after_resume", afterResume);
                Check.equal(r.perPartition(0), afterResume.get(0), "records of partition 0 after resume");
            }
        });

        steps.run("commit_committed", result -> {
            String group = r.prefix + "-manual";
            TopicPartition p0 = new TopicPartition(topic, 0), p1 = new TopicPartition(topic, 1),
                           p2 = new TopicPartition(topic, 2);
            try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, group, Map.of())) {
                c.assign(List.of(p0, p1, p2));
                c.commitSync(Map.of(p0, new OffsetAndMetadata(5, "meta-5"), p1, new OffsetAndMetadata(7)));
                Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.of(p0, p1, p2));
                result.put("committed", Json.offsets(committed));
                OffsetAndMetadata c0 = committed.get(p0), c1 = committed.get(p1);
                Check.that(c0 != null && c0.offset() == 5 && "meta-5".equals(c0.metadata()),
                           "committed(p0) = %s, expected 5 with metadata meta-5", c0);
                Check.that(c1 != null && c1.offset() == 7, "committed(p1) = %s, expected 7", c1);
                Check.that(committed.get(p2) == null, "committed(p2) = %s, expected null (never committed)", committed.get(p2));
            }
            // A new member of the group starts where the group committed (auto.offset.reset=none: no fallback).
            try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, group,
                    Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
                c.assign(List.of(p0));
                ConsumerRecord<byte[], byte[]> rec = firstRecord(c);
                result.put("resumed_at", rec.offset());
                Check.equal(5L, rec.offset(), "first offset read by a new consumer of the group");
            }
        });

        steps.run("close_is_prompt", result -> {
            // close() ends the consumer's fetch session with a Fetch of no partitions (session id 0,
            // epoch -1, KIP-227) and waits for its answer. A Fetch with nothing to fetch is answered
            // at once by Kafka (ReplicaManager: fetchInfos.isEmpty); parked for fetch.max.wait.ms,
            // it holds every close() that long. Nothing else is in flight here: the partition's
            // fetched batch is still buffered (max.poll.records 1), so no next fetch was sent.
            long maxWait = 2000;
            KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, null, Map.of(
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) maxWait, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1));
            try {
                TopicPartition tp = new TopicPartition(r.largeTopic(), 0);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                firstRecord(c);
            } finally {
                long start = System.nanoTime();
                c.close(CloseOptions.timeout(Duration.ofSeconds(10)));
                long ms = (System.nanoTime() - start) / 1_000_000;
                result.put("close_ms", ms);
                result.put("fetch_max_wait_ms", maxWait);
                Check.that(ms < maxWait / 2, "close() took %d ms with fetch.max.wait.ms %d: the broker held the "
                           + "fetch-session close (a Fetch of no partitions) for the full wait", ms, maxWait);
            }
        });

        // The KIP-848 consumer protocol (group.protocol=consumer) is not asked of Skiff yet: the
        // outcome is recorded, never a failure.
        Map<String, Object> probes = new LinkedHashMap<>();
        probes.put("group_protocol_consumer", consumerProtocol(bootstrap, r));
        steps.record("probes", probes);
        return steps;
    }

    private static Map<String, Object> consumerProtocol(String bootstrap, Records r) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> cfg = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, r.prefix + "-kip848", cfg)) {
            c.subscribe(List.of(r.codecTopic("none")));
            int read = 0;
            long deadline = Clients.deadline(Duration.ofSeconds(15));
            while (read == 0 && Clients.before(deadline))
                read += c.poll(Duration.ofMillis(200)).count();
            out.put("ok", read > 0);
            out.put("read", read);
            if (read == 0)
                out.put("message", "no record within 15s");
        } catch (Throwable t) {
            out.put("ok", false);
            out.putAll(Steps.outcome(t));
        }
        return out;
    }

    private static void readBack(String bootstrap, Records r, Map<String, Object> result) {
        Map<String, Object> cfg = Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000,
                                          ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> c = Clients.consumer(bootstrap, r.prefix + "-readback", cfg)) {
            c.subscribe(r.allTopics());
            int expected = r.count * Records.CODECS.size() + r.largeCount;
            Map<String, Set<Long>> seen = new TreeMap<>();
            List<String> mismatches = new ArrayList<>();
            int duplicates = 0, total = 0;
            long deadline = Clients.deadline(Duration.ofSeconds(120));
            while (total < expected && Clients.before(deadline)) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
                    String key = rec.topic() + "-" + rec.partition();
                    if (!seen.computeIfAbsent(key, k -> new TreeSet<>()).add(rec.offset())) {
                        duplicates++;
                        continue;
                    }
                    total++;
                    String diff = compare(r, rec);
                    if (diff != null && mismatches.size() < 10)
                        mismatches.add(rec.topic() + "-" + rec.partition() + "@" + rec.offset() + ": " + diff);
                }
            }
            Map<String, Integer> perTopic = new TreeMap<>();
            for (Map.Entry<String, Set<Long>> e : seen.entrySet()) {
                String t = e.getKey().substring(0, e.getKey().lastIndexOf('-'));
                perTopic.merge(t, e.getValue().size(), Integer::sum);
            }
            result.put("records", total);
            result.put("per_topic", perTopic);
            result.put("duplicates", duplicates);
            result.put("mismatches", mismatches);
            Check.equal(expected, total, "records read back");
            Check.that(mismatches.isEmpty(), "records differ from those produced: %s", mismatches);
            Check.equal(0, duplicates, "duplicates read by one consumer");

            c.commitSync(Duration.ofSeconds(30));
            Set<TopicPartition> assigned = c.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assigned, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = c.endOffsets(assigned, Duration.ofSeconds(30));
            List<String> wrong = new ArrayList<>();
            for (TopicPartition tp : assigned) {
                OffsetAndMetadata om = committed.get(tp);
                if (om == null || om.offset() != end.get(tp))
                    wrong.add(tp + " committed " + om + " end " + end.get(tp));
            }
            result.put("committed_partitions", committed.size());
            Check.that(wrong.isEmpty(), "committed offsets are not the end offsets: %s", wrong);
        }
    }

    private static String compare(Records r, ConsumerRecord<byte[], byte[]> rec) {
        if (rec.timestampType() != TimestampType.CREATE_TIME)
            return "timestamp type " + rec.timestampType();
        ProducerRecord<byte[], byte[]> want;
        if (rec.topic().equals(r.largeTopic())) {
            if (rec.partition() != 0 || rec.offset() >= r.largeCount)
                return "not a produced offset";
            want = r.largeRecord((int) rec.offset());
        } else {
            String codec = rec.topic().substring(r.prefix.length() + 1);
            int i = r.codecIndex(rec.partition(), rec.offset());
            if (!Records.CODECS.contains(codec) || i >= r.count)
                return "not a produced offset";
            want = r.codecRecord(codec, i);
        }
        return Records.difference(want, rec.key(), rec.value(), rec.headers(), rec.timestamp());
    }

    /** Two members of one group with this assignor: they must end up splitting the partitions. */
    private static void split(String bootstrap, Records r, String assignor, String group, Map<String, Object> result) {
        Map<String, Object> cfg = groupConfig(assignor);
        String topic = r.codecTopic("none");
        Set<String> all = new HashSet<>();
        Member a = new Member("a", bootstrap, group, cfg, topic);
        Member b = null;
        try {
            // a alone first, then b joins: the group rebalances once more.
            long deadline = Clients.deadline(Duration.ofSeconds(60));
            while (a.assignment().isEmpty() && Clients.before(deadline))
                a.poll(all);
            b = new Member("b", bootstrap, group, cfg, topic);
            Set<Integer> everything = range(r.partitions);
            deadline = Clients.deadline(Duration.ofSeconds(90));
            while (Clients.before(deadline)) {
                a.poll(all);
                b.poll(all);
                if (all.size() >= r.count && split(a.assignment(), b.assignment(), everything))
                    break;
            }
            result.put("a_assignment", a.assignment());
            result.put("b_assignment", b.assignment());
            result.put("records", all.size());
            result.put("duplicates", a.duplicates + b.duplicates);
            result.put("a_events", a.events);
            result.put("b_events", b.events);
            result.put("generation", b.generation());
            Check.that(split(a.assignment(), b.assignment(), everything),
                       "assignments %s and %s do not split partitions %s", a.assignment(), b.assignment(), everything);
            Check.equal(r.partitions / 2, a.assignment().size(), "partitions of member a");
            Check.equal(r.count, all.size(), "distinct records read by the two members");
            if (assignor.equals(CooperativeStickyAssignor.class.getName())) {
                // Incremental: a gives up only the partitions that move to b.
                Set<Integer> kept = new TreeSet<>(a.revokedPartitions);
                kept.retainAll(a.assignment());
                Check.that(kept.isEmpty(), "cooperative member a revoked partitions it kept: %s (events %s)", kept, a.events);
            }
        } finally {
            a.close();
            if (b != null)
                b.close();
        }
    }

    /** Static members a and b; a is closed and comes back under its group.instance.id. */
    private static void staticMembership(String bootstrap, Records r, Map<String, Object> result) {
        String group = r.prefix + "-static", topic = r.codecTopic("none");
        Set<String> all = new HashSet<>();
        Map<String, Object> cfgA = new HashMap<>(groupConfig(RangeAssignor.class.getName()));
        cfgA.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, r.prefix + "-static-a");
        cfgA.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30000);
        Map<String, Object> cfgB = new HashMap<>(cfgA);
        cfgB.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, r.prefix + "-static-b");
        Set<Integer> everything = range(r.partitions);
        Member a = new Member("a", bootstrap, group, cfgA, topic);
        Member b = new Member("b", bootstrap, group, cfgB, topic);
        Member a2 = null;
        try {
            long deadline = Clients.deadline(Duration.ofSeconds(90));
            long stableSince = System.nanoTime();
            String last = "";
            while (Clients.before(deadline)) {
                a.poll(all);
                b.poll(all);
                String now = a.assignment() + "/" + b.assignment() + "/" + a.generation() + "/" + b.generation();
                if (!now.equals(last)) {
                    last = now;
                    stableSince = System.nanoTime();
                }
                if (split(a.assignment(), b.assignment(), everything) && a.generation() == b.generation()
                        && System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos())
                    break;
            }
            Set<Integer> aBefore = a.assignment(), bBefore = b.assignment();
            int generation = b.generation(), bCalls = b.assignedCalls;
            result.put("before", Map.of("a", aBefore, "b", bBefore, "generation", generation));
            Check.that(split(aBefore, bBefore, everything), "static members never split partitions %s: a %s, b %s",
                       everything, aBefore, bBefore);

            a.close();   // a static member leaves no LeaveGroup behind: its partitions wait for it
            for (int i = 0; i < 10; i++)
                b.poll(all);
            a2 = new Member("a2", bootstrap, group, cfgA, topic);
            deadline = Clients.deadline(Duration.ofSeconds(60));
            while (a2.assignment().isEmpty() && Clients.before(deadline)) {
                a2.poll(all);
                b.poll(all);
            }
            long settle = Clients.deadline(Duration.ofSeconds(5));
            while (Clients.before(settle)) {
                a2.poll(all);
                b.poll(all);
            }
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("a", a2.assignment());
            after.put("b", b.assignment());
            after.put("a_generation", a2.generation());
            after.put("b_generation", b.generation());
            after.put("b_assign_callbacks_since", b.assignedCalls - bCalls);
            result.put("after", after);
            result.put("a_events", a.events);
            result.put("a2_events", a2.events);
            result.put("b_events", b.events);
            Check.equal(aBefore, a2.assignment(), "assignment of the restarted static member");
            Check.equal(bBefore, b.assignment(), "assignment of the member that stayed");
            Check.equal(0, b.assignedCalls - bCalls, "rebalances seen by the member that stayed");
            Check.equal(generation, b.generation(), "generation seen by the member that stayed");
        } finally {
            if (a2 != null)
                a2.close();
            b.close();
        }
    }

    private static Map<String, Object> groupConfig(String assignor) {
        return Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor,
                      ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500,
                      ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10000,
                      ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    }

    private static boolean split(Set<Integer> a, Set<Integer> b, Set<Integer> everything) {
        Set<Integer> union = new TreeSet<>(a);
        union.addAll(b);
        return !a.isEmpty() && !b.isEmpty() && a.size() + b.size() == everything.size() && union.equals(everything);
    }

    private static Set<Integer> range(int n) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < n; i++)
            s.add(i);
        return s;
    }

    private static ConsumerRecord<byte[], byte[]> firstRecord(KafkaConsumer<byte[], byte[]> c) {
        long deadline = Clients.deadline(Duration.ofSeconds(30));
        while (Clients.before(deadline)) {
            ConsumerRecords<byte[], byte[]> recs = c.poll(Duration.ofMillis(200));
            if (!recs.isEmpty())
                return recs.iterator().next();
        }
        throw new Check.Failed("no record within 30s");
    }

    /** Polls until each partition in want has that many records (or the time is up): counts per partition. */
    private static Map<Integer, Integer> readUntil(KafkaConsumer<byte[], byte[]> c, Map<Integer, Integer> want, Duration d) {
        Map<Integer, Integer> got = new TreeMap<>();
        long deadline = Clients.deadline(d);
        while (Clients.before(deadline)) {
            for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200)))
                got.merge(rec.partition(), 1, Integer::sum);
            boolean done = true;
            for (Map.Entry<Integer, Integer> e : want.entrySet())
                done &= got.getOrDefault(e.getKey(), 0) >= e.getValue();
            if (done) {
                for (int i = 0; i < 5; i++)   // a little longer: nothing else may arrive
                    for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(100)))
                        got.merge(rec.partition(), 1, Integer::sum);
                return got;
            }
        }
        return got;
    }

    private static String show(OffsetAndTimestamp ot) {
        return ot == null ? "null" : ot.offset() + "@" + ot.timestamp();
    }
}
