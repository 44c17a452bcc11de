package main

import (
	"errors"
	"fmt"
	"sort"

	"github.com/IBM/sarama"
)

// sarama's admin calls, through its ClusterAdmin.

func (s *saramaClient) createTopic(topic string, partitions int, configs map[string]string, validateOnly bool) error {
	entries := map[string]*string{}
	for k, v := range configs {
		entries[k] = &v
	}
	return s.adm.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: int32(partitions), ReplicationFactor: -1, ConfigEntries: entries}, validateOnly)
}

func (s *saramaClient) topics() (map[string]int, error) {
	listed, err := s.adm.ListTopics()
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for name, d := range listed {
		out[name] = int(d.NumPartitions)
	}
	return out, nil
}

func (s *saramaClient) describeTopic(topic string) ([]partitionDescription, error) {
	metadata, err := s.adm.DescribeTopics([]string{topic})
	if err != nil {
		return nil, err
	}
	if len(metadata) != 1 || !errors.Is(metadata[0].Err, sarama.ErrNoError) {
		return nil, fmt.Errorf("described %d topics, error %v", len(metadata), metadata[0].Err)
	}
	var out []partitionDescription
	for _, p := range metadata[0].Partitions {
		out = append(out, partitionDescription{p.ID, p.Leader, p.Replicas})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	return out, nil
}

func (s *saramaClient) describeConfigs(topic string) (map[string]string, error) {
	entries, err := s.adm.DescribeConfig(sarama.ConfigResource{Type: sarama.TopicResource, Name: topic})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range entries {
		out[e.Name] = e.Value
	}
	return out, nil
}

func (s *saramaClient) setConfig(topic, name, value string) error {
	return s.adm.IncrementalAlterConfig(sarama.TopicResource, topic, map[string]sarama.IncrementalAlterConfigsEntry{
		name: {Operation: sarama.IncrementalAlterConfigsOperationSet, Value: &value}}, false)
}

func (s *saramaClient) setPartitions(topic string, total int) error {
	return s.adm.CreatePartitions(topic, int32(total), nil, false)
}

func (s *saramaClient) offsetRange(topic string, partition int32) (int64, int64, error) {
	var ends [2]int64
	for i, at := range []int64{sarama.OffsetOldest, sarama.OffsetNewest} {
		resp, err := s.adm.ListOffsets(map[string]map[int32]int64{topic: {partition: at}}, nil)
		if err != nil {
			return 0, 0, err
		}
		r := resp[topic][partition]
		if r == nil {
			return 0, 0, fmt.Errorf("no offset for %s-%d", topic, partition)
		}
		if r.Err != nil && !errors.Is(r.Err, sarama.ErrNoError) {
			return 0, 0, r.Err
		}
		ends[i] = r.Offset
	}
	return ends[0], ends[1], nil
}

func (s *saramaClient) commitOffsets(group string, offsets map[TopicPartition]int64) error {
	commit := map[string]map[int32]sarama.OffsetAndMetadata{}
	for tp, o := range offsets {
		if commit[tp.Topic] == nil {
			commit[tp.Topic] = map[int32]sarama.OffsetAndMetadata{}
		}
		commit[tp.Topic][tp.Partition] = sarama.OffsetAndMetadata{Offset: o, LeaderEpoch: -1}
	}
	resp, err := s.adm.AlterConsumerGroupOffsets(group, commit, nil)
	if err != nil {
		return err
	}
	var errs error
	for t, ps := range resp.Errors {
		for p, e := range ps {
			if !errors.Is(e, sarama.ErrNoError) {
				errs = errors.Join(errs, fmt.Errorf("%s-%d: %w", t, p, e))
			}
		}
	}
	return errs
}

func (s *saramaClient) groups() ([]string, error) {
	listed, err := s.adm.ListConsumerGroups()
	if err != nil {
		return nil, err
	}
	var out []string
	for g := range listed {
		out = append(out, g)
	}
	sort.Strings(out)
	return out, nil
}

func (s *saramaClient) describeGroup(group string) (groupDescription, error) {
	described, err := s.adm.DescribeConsumerGroups([]string{group})
	if err != nil {
		return groupDescription{}, err
	}
	if len(described) != 1 {
		return groupDescription{}, fmt.Errorf("described %d groups", len(described))
	}
	g := described[0]
	if !errors.Is(g.Err, sarama.ErrNoError) {
		return groupDescription{}, g.Err
	}
	out := groupDescription{State: g.State, Members: []memberDescription{}}
	for _, m := range g.Members {
		d := memberDescription{ClientID: m.ClientId}
		a, err := m.GetMemberAssignment()
		if err != nil {
			return out, fmt.Errorf("member %s's assignment: %w", m.MemberId, err)
		}
		if a != nil {
			for t, ps := range a.Topics {
				for _, p := range ps {
					d.Assigned = append(d.Assigned, TopicPartition{t, p})
				}
			}
		}
		d.Assigned = sortedAssignment(d.Assigned)
		out.Members = append(out.Members, d)
	}
	return out, nil
}

func (s *saramaClient) deleteOffsets(group string, tp TopicPartition) error {
	return s.adm.DeleteConsumerGroupOffset(group, tp.Topic, tp.Partition)
}

func (s *saramaClient) deleteGroup(group string) error { return s.adm.DeleteConsumerGroup(group) }

func (s *saramaClient) deleteTopic(topic string) error { return s.adm.DeleteTopic(topic) }

func (s *saramaClient) deleteRecords(topic string, partition int32, before int64) error {
	return s.adm.DeleteRecords(topic, map[int32]int64{partition: before})
}
