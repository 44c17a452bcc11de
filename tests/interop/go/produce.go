package main

import "strconv"

// produceScenario: produce BOOTSTRAP [--prefix P --partitions N --count N --base-ts MS
// --replication-factor R --min-insync M]. Creates PREFIX-{none,gzip,snappy,lz4,zstd} with the
// client's admin API, then writes each codec's records in order with one acks=all producer per
// codec (idempotent where the client can be). Each record must land at the offset Records gives
// it: one producer, in order, nothing lost or doubled.
func produceScenario(name string, c client, o Options) *Steps {
	r := newRecords(o)
	replication := int(o.Int("replication-factor", 1))
	minInsync := o.Int("min-insync", 0)
	steps := newSteps(name, "produce")

	steps.Run("create_topics", func(result map[string]any) {
		configs := map[string]string{}
		if minInsync > 0 {
			configs["min.insync.replicas"] = strconv.FormatInt(minInsync, 10)
		}
		must(c.createTopics(r.Topics(), r.Partitions, replication, configs), "create topics")
		result["topics"] = r.Topics()
		replicas, err := c.replicas(r.Topics())
		must(err, "describe topics")
		result["replicas"] = replicas
		for _, t := range r.Topics() {
			want := make([]int, r.Partitions)
			for i := range want {
				want[i] = replication
			}
			equal(want, replicas[t], "replicas per partition of "+t)
		}
		value, err := c.topicConfig(r.Topic("none"), "min.insync.replicas")
		must(err, "describe configs")
		result["min_insync_replicas"] = value
		if minInsync > 0 {
			equal(strconv.FormatInt(minInsync, 10), value, "min.insync.replicas")
		}
	})

	for _, codec := range Codecs {
		steps.Run("codec_"+codec, func(result map[string]any) {
			records := r.All(codec)
			placed, err := c.produce(codec, records)
			must(err, "produce")
			equal(len(records), len(placed), "acknowledged records")
			for i, p := range placed {
				equal(records[i].Partition, p.Partition, "partition of record "+strconv.Itoa(i))
				equal(records[i].Offset, p.Offset, codec+" offset of record "+strconv.Itoa(i))
			}
			result["count"] = len(placed)
			result["offsets"] = ranges(placed)
			result["idempotent"] = c.idempotent()
		})
	}
	return steps
}
