package skiff.interop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * produce BOOTSTRAP [--prefix P --partitions N --count N --base-ts MS --large-count N --large-size B
 *                    --replication-factor R --min-insync M]
 * Creates PREFIX-{none,gzip,snappy,lz4,zstd} (N partitions) and PREFIX-large (1 partition), then
 * writes Records' codec records with an idempotent acks=all producer per codec, and the large
 * records in big lingering batches, waiting on every future. Each record must land at the offset
 * Records gives it: one producer, in order, nothing lost or doubled.
 */
final class ProduceScenario {
    private ProduceScenario() {}

    static Steps run(String bootstrap, Options o) {
        Records r = new Records(o);
        short replication = (short) o.integer("replication-factor", 1);
        int minInsync = o.integer("min-insync", 0);
        Steps steps = new Steps("produce");

        steps.run("create_topics", result -> {
            try (Admin admin = Clients.admin(bootstrap)) {
                Map<String, String> configs = new HashMap<>();
                if (minInsync > 0)
                    configs.put("min.insync.replicas", Integer.toString(minInsync));
                List<NewTopic> topics = new ArrayList<>();
                for (String c : Records.CODECS)
                    topics.add(new NewTopic(r.codecTopic(c), r.partitions, replication).configs(configs));
                topics.add(new NewTopic(r.largeTopic(), 1, replication).configs(configs));
                Clients.createTopics(admin, topics);
                result.put("topics", r.allTopics());
                // What the cluster made of them: replicas per partition and min.insync.replicas.
                Map<String, Object> replicas = new TreeMap<>();
                for (TopicDescription d : admin.describeTopics(r.allTopics()).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                    List<Integer> counts = new ArrayList<>();
                    for (TopicPartitionInfo pi : d.partitions())
                        counts.add(pi.replicas().size());
                    replicas.put(d.name(), counts);
                }
                result.put("replicas", replicas);
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, r.codecTopic("none"));
                ConfigEntry e = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res).get("min.insync.replicas");
                result.put("min_insync_replicas", e == null ? null : e.value());
            }
        });

        for (String codec : Records.CODECS) {
            steps.run("codec_" + codec, result -> {
                Map<String, Object> cfg = new HashMap<>();
                cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
                cfg.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                List<Future<RecordMetadata>> futures = new ArrayList<>();
                try (KafkaProducer<byte[], byte[]> p = Clients.producer(bootstrap, cfg)) {
                    for (int i = 0; i < r.count; i++)
                        futures.add(p.send(r.codecRecord(codec, i)));
                    p.flush();
                    Map<Integer, List<Long>> offsets = new TreeMap<>();
                    for (int i = 0; i < r.count; i++) {
                        RecordMetadata md = futures.get(i).get(60, TimeUnit.SECONDS);
                        Check.equal(r.codecPartition(i), md.partition(), "partition of record " + i);
                        Check.equal(r.codecOffset(i), md.offset(), codec + " offset of record " + i);
                        offsets.computeIfAbsent(md.partition(), k -> new ArrayList<>()).add(md.offset());
                    }
                    result.put("count", r.count);
                    result.put("offsets", ranges(offsets));
                    result.put("batch_size_avg", metric(p, "batch-size-avg"));
                    result.put("compression_rate_avg", metric(p, "compression-rate-avg"));
                }
            });
        }

        steps.run("large_batch", result -> {
            Map<String, Object> cfg = new HashMap<>();
            cfg.put(ProducerConfig.LINGER_MS_CONFIG, 100);
            cfg.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
            cfg.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
            cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> p = Clients.producer(bootstrap, cfg)) {
                for (int i = 0; i < r.largeCount; i++)
                    futures.add(p.send(r.largeRecord(i)));
                Map<Integer, List<Long>> offsets = new TreeMap<>();
                for (int i = 0; i < r.largeCount; i++) {
                    RecordMetadata md = futures.get(i).get(60, TimeUnit.SECONDS);
                    Check.equal((long) i, md.offset(), "large offset of record " + i);
                    offsets.computeIfAbsent(md.partition(), k -> new ArrayList<>()).add(md.offset());
                }
                result.put("count", r.largeCount);
                result.put("bytes", (long) r.largeCount * r.largeSize);
                result.put("offsets", ranges(offsets));
                Object avg = metric(p, "batch-size-avg");
                result.put("batch_size_avg", avg);
                result.put("records_per_request_avg", metric(p, "records-per-request-avg"));
                Check.that(avg instanceof Double d && d > 100 * 1024,
                           "batches of the large stream average %s bytes: no large batches were sent", avg);
            }
        });

        // Not asked of Skiff yet (no transactions): the outcome is recorded, never a failure.
        Map<String, Object> probes = new LinkedHashMap<>();
        probes.put("transactional_producer", transactional(bootstrap, r));
        steps.record("probes", probes);
        return steps;
    }

    private static Map<String, Object> transactional(String bootstrap, Records r) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, r.prefix + "-txn");
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);   // a retriable refusal blocks this long
        String stage = "initTransactions";
        try (KafkaProducer<byte[], byte[]> p = Clients.producer(bootstrap, cfg)) {
            p.initTransactions();
            stage = "beginTransaction/send/commitTransaction";
            p.beginTransaction();
            p.send(new ProducerRecord<>(r.prefix + "-txn-probe", null, Records.bytes("in a transaction"))).get(15, TimeUnit.SECONDS);
            p.commitTransaction();
            out.put("ok", true);
        } catch (Throwable t) {
            out.put("ok", false);
            out.put("stage", stage);
            out.putAll(Steps.outcome(t));
        }
        return out;
    }

    /** {partition: {"first", "last", "count"}}. */
    static Map<String, Object> ranges(Map<Integer, List<Long>> offsets) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Long>> e : offsets.entrySet()) {
            List<Long> l = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("first", l.get(0));
            m.put("last", l.get(l.size() - 1));
            m.put("count", l.size());
            out.put(Integer.toString(e.getKey()), m);
        }
        return out;
    }

    static Object metric(KafkaProducer<?, ?> p, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : p.metrics().entrySet())
            if (e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
                return e.getValue().metricValue();
        return null;
    }
}
