package main

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// adminAPI is what the admin scenario asks of a client's admin API (kadm, sarama's ClusterAdmin,
// kafka-go's Client).
type adminAPI interface {
	createTopic(topic string, partitions int, configs map[string]string, validateOnly bool) error
	// topics is every topic's partition count (ListTopics, i.e. Metadata).
	topics() (map[string]int, error)
	describeTopic(topic string) ([]partitionDescription, error)
	describeConfigs(topic string) (map[string]string, error)
	// setConfig is an IncrementalAlterConfigs SET of one topic config.
	setConfig(topic, name, value string) error
	// setPartitions grows topic to total partitions (CreatePartitions).
	setPartitions(topic string, total int) error
	// offsetRange is a partition's earliest and latest offsets (ListOffsets).
	offsetRange(topic string, partition int32) (start, end int64, err error)
	// commitOffsets commits for a group with no member (generation -1), as tools do.
	commitOffsets(group string, offsets map[TopicPartition]int64) error
	groups() ([]string, error)
	describeGroup(group string) (groupDescription, error)
	deleteOffsets(group string, tp TopicPartition) error
	deleteGroup(group string) error
	deleteTopic(topic string) error
	// deleteRecords moves a partition's log start to `before` (DeleteRecords); errNotOffered
	// from a client whose API has no such call.
	deleteRecords(topic string, partition int32, before int64) error
}

type partitionDescription struct {
	Partition int32   `json:"partition"`
	Leader    int32   `json:"leader"`
	Replicas  []int32 `json:"replicas"`
}

type groupDescription struct {
	State   string              `json:"state"`
	Members []memberDescription `json:"members"`
}

type memberDescription struct {
	ClientID string           `json:"client_id"`
	Assigned []TopicPartition `json:"assigned"` // sorted
}

// errNotOffered: the client's API has no call for this (kafka-go's has no DeleteRecords).
var errNotOffered = errors.New("not offered by this client")

const (
	adminRecords = 10
	// metadataWait bounds how long a change may take to show in a client's topic listing.
	metadataWait = 10 * time.Second
)

// adminScenario: admin BOOTSTRAP [--prefix P]. Topic, config, partition, offset and group
// calls of the client's admin API against one node, each answer checked for its values.
func adminScenario(name string, c client, o Options) *Steps {
	prefix := o.String("prefix", "interop-go")
	topic, dry := prefix+"-admin", prefix+"-admin-dry"
	group, active := prefix+"-admin-group", prefix+"-admin-active"
	steps := newSteps(name, "admin")
	// partitionsOf lists topics until t's partition count is want (-1: until t is not listed):
	// a client may answer from metadata it cached before the change (kadm does, up to 5 s).
	partitionsOf := func(t string, want int) (n int, listed bool) {
		deadline := time.Now().Add(metadataWait)
		for {
			all, err := c.topics()
			must(err, "list topics")
			n, listed = all[t]
			if n == want || (want < 0 && !listed) || time.Now().After(deadline) {
				return n, listed
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	tps := func(n int) []TopicPartition {
		out := make([]TopicPartition, n)
		for p := range out {
			out[p] = TopicPartition{topic, int32(p)}
		}
		return out
	}

	steps.Run("create_topics", func(result map[string]any) {
		must(c.createTopic(topic, 3, map[string]string{"retention.ms": "3600000"}, false), "create "+topic)
	})
	steps.Run("create_topics_validate_only", func(result map[string]any) {
		must(c.createTopic(dry, 2, nil, true), "validate creating "+dry)
		_, exists := partitionsOf(dry, -1)
		check(!exists, "%s exists after a validate-only create", dry)
	})
	steps.Run("list_topics", func(result map[string]any) {
		n, ok := partitionsOf(topic, 3)
		check(ok, "%s not listed", topic)
		equal(3, n, "partitions of "+topic)
	})
	steps.Run("describe_topics", func(result map[string]any) {
		d, err := c.describeTopic(topic)
		must(err, "describe "+topic)
		result["partitions"] = d
		equal(3, len(d), "partitions described")
		for i, p := range d {
			equal(int32(i), p.Partition, "partition id")
			equal(1, len(p.Replicas), "replicas of partition "+fmt.Sprint(i))
			equal(p.Replicas[0], p.Leader, "leader of partition "+fmt.Sprint(i))
		}
	})
	steps.Run("describe_configs", func(result map[string]any) {
		configs, err := c.describeConfigs(topic)
		must(err, "describe configs")
		result["retention.ms"], result["cleanup.policy"] = configs["retention.ms"], configs["cleanup.policy"]
		equal("3600000", configs["retention.ms"], "retention.ms set at creation")
		equal("delete", configs["cleanup.policy"], "default cleanup.policy")
	})
	steps.Run("incremental_alter_configs", func(result map[string]any) {
		must(c.setConfig(topic, "retention.ms", "7200000"), "set retention.ms")
		configs, err := c.describeConfigs(topic)
		must(err, "describe configs")
		equal("7200000", configs["retention.ms"], "retention.ms after the alter")
	})
	steps.Run("create_partitions", func(result map[string]any) {
		must(c.setPartitions(topic, 5), "grow to 5 partitions")
		n, _ := partitionsOf(topic, 5)
		result["partitions"] = n
		equal(5, n, "partitions after create partitions")
	})
	steps.Run("list_offsets", func(result map[string]any) {
		records := make([]Record, adminRecords)
		for i := range records {
			records[i] = Record{Topic: topic, Partition: 0, Value: []byte(fmt.Sprintf("admin-%d", i)),
				Headers: []Header{{"index", []byte(fmt.Sprint(i))}}}
		}
		_, err := c.produce("none", records)
		must(err, "produce to "+topic)
		start, end, err := c.offsetRange(topic, 0)
		must(err, "list offsets of partition 0")
		result["partition0"] = map[string]int64{"earliest": start, "latest": end}
		equal([2]int64{0, adminRecords}, [2]int64{start, end}, "earliest and latest of partition 0")
		start, end, err = c.offsetRange(topic, 4)
		must(err, "list offsets of partition 4")
		equal([2]int64{0, 0}, [2]int64{start, end}, "earliest and latest of the new partition 4")
	})
	steps.Run("describe_group_active", func(result map[string]any) {
		m, err := c.member(active, []string{topic})
		must(err, "join "+active)
		defer m.close()
		equal(adminRecords, len(readUntil(m, adminRecords)), "records the member read")
		d, err := c.describeGroup(active)
		must(err, "describe "+active)
		result["group"] = d
		equal("Stable", d.State, "state of a group with a member")
		equal(1, len(d.Members), "members")
		equal(tps(5), d.Members[0].Assigned, "the member's assignment")
	})
	steps.Run("commit_offsets", func(result map[string]any) {
		offsets := map[TopicPartition]int64{{topic, 0}: 7, {topic, 1}: 0}
		must(c.commitOffsets(group, offsets), "commit")
		got, err := c.committed(group, []string{topic})
		must(err, "fetch committed offsets")
		equal(offsets, got, "committed offsets")
	})
	steps.Run("list_groups", func(result map[string]any) {
		groups, err := c.groups()
		must(err, "list groups")
		result["groups"] = groups
		check(slices.Contains(groups, group) && slices.Contains(groups, active), "%s and %s not both listed: %v", group, active, groups)
	})
	steps.Run("describe_group", func(result map[string]any) {
		d, err := c.describeGroup(group)
		must(err, "describe "+group)
		result["group"] = d
		equal("Empty", d.State, "state of a group with only offsets")
		equal(0, len(d.Members), "members")
	})
	steps.Run("delete_offsets", func(result map[string]any) {
		must(c.deleteOffsets(group, TopicPartition{topic, 1}), "delete the offset of partition 1")
		got, err := c.committed(group, []string{topic})
		must(err, "fetch committed offsets")
		equal(map[TopicPartition]int64{{topic, 0}: 7}, got, "committed offsets after the delete")
	})
	steps.Run("delete_groups", func(result map[string]any) {
		must(c.deleteGroup(group), "delete "+group)
		must(c.deleteGroup(active), "delete "+active)
		groups, err := c.groups()
		must(err, "list groups")
		check(!slices.Contains(groups, group) && !slices.Contains(groups, active), "deleted groups still listed: %v", groups)
	})
	steps.Run("delete_records", func(result map[string]any) {
		err := c.deleteRecords(topic, 0, 3)
		if errors.Is(err, errNotOffered) {
			result["offered"] = false // recorded: the client has no such call
			return
		}
		must(err, "delete the records of partition 0 before offset 3")
		start, end, err := c.offsetRange(topic, 0)
		must(err, "list offsets after the delete")
		result["partition0"] = map[string]int64{"earliest": start, "latest": end}
		equal(int64(3), start, "earliest offset after deleting before offset 3")
		equal(int64(adminRecords), end, "latest offset after the delete")
	})
	steps.Run("delete_topics", func(result map[string]any) {
		must(c.deleteTopic(topic), "delete "+topic)
		_, exists := partitionsOf(topic, -1)
		check(!exists, "%s still listed after its delete", topic)
	})
	return steps
}

// sortedAssignment is a member's assignment in partition order.
func sortedAssignment(tps []TopicPartition) []TopicPartition {
	sort.Slice(tps, func(i, j int) bool {
		if tps[i].Topic != tps[j].Topic {
			return tps[i].Topic < tps[j].Topic
		}
		return tps[i].Partition < tps[j].Partition
	})
	return tps
}
