package skiff.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The records produce writes and consume expects, made from (topic, index) alone so the two
 * scenarios share nothing but their options. Codec topic record i goes to partition
 * i % partitions, at offset i / partitions, with timestamp baseTs + i; some keys and values are
 * null, and every record has headers (one with a null value, one empty, one binary).
 */
final class Records {
    static final List<String> CODECS = List.of("none", "gzip", "snappy", "lz4", "zstd");

    final String prefix;
    final int partitions;
    final int count;
    final long baseTs;
    final int largeCount;
    final int largeSize;

    Records(Options o) {
        prefix = o.string("prefix", "interop");
        partitions = o.integer("partitions", 4);
        count = o.integer("count", 400);
        baseTs = o.longValue("base-ts", 1_700_000_000_000L);
        largeCount = o.integer("large-count", 500);
        largeSize = o.integer("large-size", 10 * 1024);
    }

    String codecTopic(String codec) {
        return prefix + "-" + codec;
    }

    String largeTopic() {
        return prefix + "-large";
    }

    List<String> allTopics() {
        List<String> topics = new ArrayList<>();
        for (String c : CODECS)
            topics.add(codecTopic(c));
        topics.add(largeTopic());
        return topics;
    }

    ProducerRecord<byte[], byte[]> codecRecord(String codec, int i) {
        byte[] key = i % 97 == 0 ? null : bytes("key-" + i);
        byte[] value = i % 89 == 5 ? null : bytes(codec + "-value-" + i + "-" + "x".repeat(i % 200));
        List<Header> headers = new ArrayList<>();
        headers.add(new RecordHeader("index", bytes(Integer.toString(i))));
        headers.add(new RecordHeader("codec", bytes(codec)));
        headers.add(new RecordHeader("bin", new byte[] {0, (byte) 255, (byte) (i % 256)}));
        headers.add(new RecordHeader("empty", new byte[0]));
        headers.add(new RecordHeader("null", (byte[]) null));
        if (i % 3 == 0)
            headers.add(new RecordHeader("index", bytes("again-" + i)));   // repeated key, order kept
        return new ProducerRecord<>(codecTopic(codec), i % partitions, baseTs + i, key, value, headers);
    }

    int codecPartition(int i) {
        return i % partitions;
    }

    long codecOffset(int i) {
        return i / partitions;
    }

    /** Records per partition of a codec topic. */
    int perPartition(int p) {
        return count / partitions + (p < count % partitions ? 1 : 0);
    }

    /** Index of the codec record at (partition, offset). */
    int codecIndex(int partition, long offset) {
        return (int) (offset * partitions + partition);
    }

    ProducerRecord<byte[], byte[]> largeRecord(int i) {
        byte[] value = new byte[largeSize];
        new Random(i * 7919L + 17).nextBytes(value);
        List<Header> headers = List.of(new RecordHeader("index", bytes(Integer.toString(i))));
        return new ProducerRecord<>(largeTopic(), 0, baseTs + i, bytes("large-" + i), value, headers);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** First difference between two records' key, value, headers, timestamp; null when equal. */
    static String difference(ProducerRecord<byte[], byte[]> expected, byte[] key, byte[] value,
                             Iterable<Header> headers, long timestamp) {
        if (!Arrays.equals(expected.key(), key))
            return "key " + show(expected.key()) + " != " + show(key);
        if (!Arrays.equals(expected.value(), value))
            return "value " + show(expected.value()) + " != " + show(value);
        if (expected.timestamp() != timestamp)
            return "timestamp " + expected.timestamp() + " != " + timestamp;
        List<String> want = new ArrayList<>();
        for (Header h : expected.headers())
            want.add(h.key() + "=" + show(h.value()));
        List<String> got = new ArrayList<>();
        for (Header h : headers)
            got.add(h.key() + "=" + show(h.value()));
        if (!want.equals(got))
            return "headers " + want + " != " + got;
        return null;
    }

    static String show(byte[] b) {
        if (b == null)
            return "null";
        if (b.length > 40)
            return "<" + b.length + " bytes>";
        StringBuilder s = new StringBuilder("'");
        for (byte x : b) {
            if (x >= 0x20 && x < 0x7f)
                s.append((char) x);
            else
                s.append(String.format("\\x%02x", x & 0xff));
        }
        return s.append("'").toString();
    }
}
