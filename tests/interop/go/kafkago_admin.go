package main

import (
	"errors"
	"fmt"
	"sort"

	kafka "github.com/segmentio/kafka-go"
)

// kafka-go's admin calls: its Client's requests (it has no admin layer above them).

func (k *kafkaGo) createTopic(topic string, partitions int, configs map[string]string, validateOnly bool) error {
	ctx, cancel := timeout()
	defer cancel()
	tc := kafka.TopicConfig{Topic: topic, NumPartitions: partitions, ReplicationFactor: -1}
	for name, value := range configs {
		tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: name, ConfigValue: value})
	}
	resp, err := k.cl.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{tc}, ValidateOnly: validateOnly})
	if err != nil {
		return err
	}
	return resp.Errors[topic]
}

func (k *kafkaGo) metadata(topics []string) ([]kafka.Topic, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return nil, err
	}
	return resp.Topics, nil
}

func (k *kafkaGo) topics() (map[string]int, error) {
	topics, err := k.metadata(nil)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, t := range topics {
		out[t.Name] = len(t.Partitions)
	}
	return out, nil
}

func (k *kafkaGo) describeTopic(topic string) ([]partitionDescription, error) {
	topics, err := k.metadata([]string{topic})
	if err != nil {
		return nil, err
	}
	if len(topics) != 1 || topics[0].Error != nil {
		return nil, fmt.Errorf("described %d topics, error %v", len(topics), topics[0].Error)
	}
	var out []partitionDescription
	for _, p := range topics[0].Partitions {
		d := partitionDescription{Partition: int32(p.ID), Leader: int32(p.Leader.ID)}
		for _, r := range p.Replicas {
			d.Replicas = append(d.Replicas, int32(r.ID))
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	return out, nil
}

func (k *kafkaGo) describeConfigs(topic string) (map[string]string, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{
		{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic}}})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range resp.Resources {
		if r.Error != nil {
			return nil, r.Error
		}
		for _, e := range r.ConfigEntries {
			out[e.ConfigName] = e.ConfigValue
		}
	}
	return out, nil
}

func (k *kafkaGo) setConfig(topic, name, value string) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.IncrementalAlterConfigs(ctx, &kafka.IncrementalAlterConfigsRequest{Resources: []kafka.IncrementalAlterConfigsRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: topic,
		Configs: []kafka.IncrementalAlterConfigsRequestConfig{{Name: name, Value: value, ConfigOperation: kafka.ConfigOperationSet}}}}})
	if err != nil {
		return err
	}
	for _, r := range resp.Resources {
		if r.Error != nil {
			return r.Error
		}
	}
	return nil
}

func (k *kafkaGo) setPartitions(topic string, total int) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.CreatePartitions(ctx, &kafka.CreatePartitionsRequest{Topics: []kafka.TopicPartitionsConfig{{Name: topic, Count: int32(total)}}})
	if err != nil {
		return err
	}
	return resp.Errors[topic]
}

func (k *kafkaGo) offsetRange(topic string, partition int32) (int64, int64, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
		topic: {kafka.FirstOffsetOf(int(partition)), kafka.LastOffsetOf(int(partition))}}})
	if err != nil {
		return 0, 0, err
	}
	for _, p := range resp.Topics[topic] {
		if p.Partition == int(partition) {
			return p.FirstOffset, p.LastOffset, p.Error
		}
	}
	return 0, 0, fmt.Errorf("no offsets for %s-%d", topic, partition)
}

func (k *kafkaGo) commitOffsets(group string, offsets map[TopicPartition]int64) error {
	ctx, cancel := timeout()
	defer cancel()
	req := &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1, Topics: map[string][]kafka.OffsetCommit{}}
	for tp, o := range offsets {
		req.Topics[tp.Topic] = append(req.Topics[tp.Topic], kafka.OffsetCommit{Partition: int(tp.Partition), Offset: o})
	}
	resp, err := k.cl.OffsetCommit(ctx, req)
	if err != nil {
		return err
	}
	var errs error
	for t, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				errs = errors.Join(errs, fmt.Errorf("%s-%d: %w", t, p.Partition, p.Error))
			}
		}
	}
	return errs
}

func (k *kafkaGo) groups() ([]string, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.ListGroups(ctx, &kafka.ListGroupsRequest{})
	if err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	var out []string
	for _, g := range resp.Groups {
		out = append(out, g.GroupID)
	}
	sort.Strings(out)
	return out, nil
}

func (k *kafkaGo) describeGroup(group string) (groupDescription, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return groupDescription{}, err
	}
	if len(resp.Groups) != 1 {
		return groupDescription{}, fmt.Errorf("described %d groups", len(resp.Groups))
	}
	g := resp.Groups[0]
	if g.Error != nil {
		return groupDescription{}, g.Error
	}
	out := groupDescription{State: g.GroupState, Members: []memberDescription{}}
	for _, m := range g.Members {
		d := memberDescription{ClientID: m.ClientID}
		for _, t := range m.MemberAssignments.Topics {
			for _, p := range t.Partitions {
				d.Assigned = append(d.Assigned, TopicPartition{t.Topic, int32(p)})
			}
		}
		d.Assigned = sortedAssignment(d.Assigned)
		out.Members = append(out.Members, d)
	}
	return out, nil
}

func (k *kafkaGo) deleteOffsets(group string, tp TopicPartition) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.OffsetDelete(ctx, &kafka.OffsetDeleteRequest{GroupID: group, Topics: map[string][]int{tp.Topic: {int(tp.Partition)}}})
	if err != nil {
		return err
	}
	if resp.Error != nil {
		return resp.Error
	}
	for _, p := range resp.Topics[tp.Topic] {
		if p.Error != nil {
			return p.Error
		}
	}
	return nil
}

func (k *kafkaGo) deleteGroup(group string) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.DeleteGroups(ctx, &kafka.DeleteGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return err
	}
	return resp.Errors[group]
}

func (k *kafkaGo) deleteTopic(topic string) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{topic}})
	if err != nil {
		return err
	}
	return resp.Errors[topic]
}

// deleteRecords: kafka-go's Client has no DeleteRecords call.
func (k *kafkaGo) deleteRecords(string, int32, int64) error { return errNotOffered }
