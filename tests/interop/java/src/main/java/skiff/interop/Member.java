package skiff.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * One subscribed group member polled by the scenario's thread (several members are polled in
 * turn): what it received, and every assignment callback. On revocation it commits what it read,
 * so the partition's next owner resumes there.
 */
final class Member implements ConsumerRebalanceListener {
    final String name;
    final KafkaConsumer<byte[], byte[]> consumer;
    final List<String> events = new ArrayList<>();
    final Set<String> received = new HashSet<>();     // "partition@offset"
    final Set<Integer> revokedPartitions = new TreeSet<>();
    int assignedCalls;
    int duplicates;

    Member(String name, String bootstrap, String group, Map<String, Object> extra, String topic) {
        this.name = name;
        this.consumer = Clients.consumer(bootstrap, group, extra);
        consumer.subscribe(List.of(topic), this);
    }

    void poll(Set<String> allReceived) {
        for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(100))) {
            String id = rec.partition() + "@" + rec.offset();
            received.add(id);
            if (!allReceived.add(id))
                duplicates++;
        }
    }

    Set<Integer> assignment() {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : consumer.assignment())
            out.add(tp.partition());
        return out;
    }

    int generation() {
        return consumer.groupMetadata().generationId();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assignedCalls++;
        events.add("assigned " + partitionsOf(partitions) + " gen " + generation());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        events.add("revoked " + partitionsOf(partitions));
        for (TopicPartition tp : partitions)
            revokedPartitions.add(tp.partition());
        if (!partitions.isEmpty()) {
            try {
                consumer.commitSync(Duration.ofSeconds(15));
            } catch (Exception e) {
                events.add("commit on revoke failed: " + Steps.describe(e));
            }
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        events.add("lost " + partitionsOf(partitions));
    }

    static Set<Integer> partitionsOf(Collection<TopicPartition> partitions) {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : partitions)
            out.add(tp.partition());
        return out;
    }

    void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
    }
}
