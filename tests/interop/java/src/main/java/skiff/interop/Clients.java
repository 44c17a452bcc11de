package skiff.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The clients with the settings every scenario shares (timeouts bounded: a hang is a failure).
 * $SKIFF_INTEROP_CLIENT_PROPERTIES names a properties file whose settings every client takes too:
 * how to reach a TLS or SASL listener (security.protocol, ssl.*, sasl.*).
 */
final class Clients {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String PROPERTIES_VARIABLE = "SKIFF_INTEROP_CLIENT_PROPERTIES";

    private Clients() {}

    private static Properties withSecurity(Properties p) {
        String path = System.getenv(PROPERTIES_VARIABLE);
        if (path == null || path.isEmpty())
            return p;
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(path))) {
            Properties extra = new Properties();
            extra.load(in);
            p.putAll(extra);
            return p;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(PROPERTIES_VARIABLE + "=" + path + ": cannot read it: " + e.getMessage());
        }
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "skiff-interop-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        return Admin.create(withSecurity(p));
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "skiff-interop-producer");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30000);
        p.putAll(extra);
        return new KafkaProducer<>(withSecurity(p), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer of the classic group protocol; groupId null for one without a group. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String groupId, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "skiff-interop-consumer");
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        }
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        p.putAll(extra);
        return new KafkaConsumer<>(withSecurity(p), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Creates the topics (an existing one is an error) and waits until every partition has a leader. */
    static void createTopics(Admin admin, Collection<NewTopic> topics) throws Exception {
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        List<String> names = new ArrayList<>();
        for (NewTopic t : topics)
            names.add(t.name());
        waitForLeaders(admin, names);
    }

    static void waitForLeaders(Admin admin, Collection<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String missing = "";
        while (System.nanoTime() < deadline) {
            missing = "";
            try {
                Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS);
                for (TopicDescription td : d.values())
                    for (TopicPartitionInfo pi : td.partitions())
                        if (pi.leader() == null || pi.leader().isEmpty())
                            missing += " " + td.name() + "-" + pi.partition();
            } catch (Exception e) {
                missing = Steps.describe(e);
            }
            if (missing.isEmpty())
                return;
            Thread.sleep(200);
        }
        throw new Check.Failed("partitions without a leader after 60s:" + missing);
    }

    static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    static boolean before(long deadline) {
        return System.nanoTime() < deadline;
    }
}
