package main

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
)

// franz's admin calls, through kadm.

func (f *franz) createTopic(topic string, partitions int, configs map[string]string, validateOnly bool) error {
	ctx, cancel := timeout()
	defer cancel()
	cfg := map[string]*string{}
	for k, v := range configs {
		cfg[k] = kadm.StringPtr(v)
	}
	create := f.adm.CreateTopics
	if validateOnly {
		create = f.adm.ValidateCreateTopics
	}
	resp, err := create(ctx, int32(partitions), -1, cfg, topic)
	if err != nil {
		return err
	}
	return resp.Error()
}

func (f *franz) topics() (map[string]int, error) {
	ctx, cancel := timeout()
	defer cancel()
	details, err := f.adm.ListTopics(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, d := range details {
		out[d.Topic] = len(d.Partitions)
	}
	return out, nil
}

func (f *franz) describeTopic(topic string) ([]partitionDescription, error) {
	ctx, cancel := timeout()
	defer cancel()
	details, err := f.adm.ListTopics(ctx, topic)
	if err != nil {
		return nil, err
	}
	if err := details.Error(); err != nil {
		return nil, err
	}
	var out []partitionDescription
	for _, p := range details[topic].Partitions.Sorted() {
		out = append(out, partitionDescription{p.Partition, p.Leader, p.Replicas})
	}
	return out, nil
}

func (f *franz) describeConfigs(topic string) (map[string]string, error) {
	ctx, cancel := timeout()
	defer cancel()
	configs, err := f.adm.DescribeTopicConfigs(ctx, topic)
	if err != nil {
		return nil, err
	}
	rc, err := configs.On(topic, nil)
	if err == nil {
		err = rc.Err
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range rc.Configs {
		out[c.Key] = c.MaybeValue()
	}
	return out, nil
}

func (f *franz) setConfig(topic, name, value string) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := f.adm.AlterTopicConfigs(ctx, []kadm.AlterConfig{{Op: kadm.SetConfig, Name: name, Value: &value}}, topic)
	if err != nil {
		return err
	}
	r, err := resp.On(topic, nil)
	if err != nil {
		return err
	}
	return r.Err
}

func (f *franz) setPartitions(topic string, total int) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := f.adm.UpdatePartitions(ctx, total, topic)
	if err != nil {
		return err
	}
	return resp.Error()
}

func (f *franz) offsetRange(topic string, partition int32) (int64, int64, error) {
	ctx, cancel := timeout()
	defer cancel()
	var ends [2]int64
	for i, list := range []func() (kadm.ListedOffsets, error){
		func() (kadm.ListedOffsets, error) { return f.adm.ListStartOffsets(ctx, topic) },
		func() (kadm.ListedOffsets, error) { return f.adm.ListEndOffsets(ctx, topic) },
	} {
		offsets, err := list()
		if err != nil {
			return 0, 0, err
		}
		o, ok := offsets.Lookup(topic, partition)
		if !ok {
			return 0, 0, fmt.Errorf("no offset for %s-%d", topic, partition)
		}
		if o.Err != nil {
			return 0, 0, o.Err
		}
		ends[i] = o.Offset
	}
	return ends[0], ends[1], nil
}

func (f *franz) commitOffsets(group string, offsets map[TopicPartition]int64) error {
	ctx, cancel := timeout()
	defer cancel()
	os := kadm.Offsets{}
	for tp, o := range offsets {
		os.Add(kadm.Offset{Topic: tp.Topic, Partition: tp.Partition, At: o, LeaderEpoch: -1})
	}
	return f.adm.CommitAllOffsets(ctx, group, os)
}

func (f *franz) groups() ([]string, error) {
	ctx, cancel := timeout()
	defer cancel()
	listed, err := f.adm.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	return listed.Groups(), nil
}

func (f *franz) describeGroup(group string) (groupDescription, error) {
	ctx, cancel := timeout()
	defer cancel()
	described, err := f.adm.DescribeGroups(ctx, group)
	if err != nil {
		return groupDescription{}, err
	}
	g, ok := described[group]
	if !ok {
		return groupDescription{}, errors.New("group missing from the answer")
	}
	if g.Err != nil {
		return groupDescription{}, g.Err
	}
	out := groupDescription{State: g.State, Members: []memberDescription{}}
	if g.ProtocolType != "consumer" && len(g.Members) > 0 {
		return out, fmt.Errorf("protocol type %q, not consumer", g.ProtocolType)
	}
	for _, m := range g.Members {
		d := memberDescription{ClientID: m.ClientID}
		if a, ok := m.Assigned.AsConsumer(); ok {
			for _, t := range a.Topics {
				for _, p := range t.Partitions {
					d.Assigned = append(d.Assigned, TopicPartition{t.Topic, p})
				}
			}
		}
		d.Assigned = sortedAssignment(d.Assigned)
		out.Members = append(out.Members, d)
	}
	return out, nil
}

func (f *franz) deleteOffsets(group string, tp TopicPartition) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := f.adm.DeleteOffsets(ctx, group, kadm.TopicsSet{tp.Topic: {tp.Partition: {}}})
	if err != nil {
		return err
	}
	return resp.Error()
}

func (f *franz) deleteGroup(group string) error {
	ctx, cancel := timeout()
	defer cancel()
	_, err := f.adm.DeleteGroup(ctx, group)
	return err
}

func (f *franz) deleteTopic(topic string) error {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := f.adm.DeleteTopic(ctx, topic)
	if err != nil {
		return err
	}
	return resp.Err
}

func (f *franz) deleteRecords(topic string, partition int32, before int64) error {
	ctx, cancel := timeout()
	defer cancel()
	os := kadm.Offsets{}
	os.Add(kadm.Offset{Topic: topic, Partition: partition, At: before, LeaderEpoch: -1})
	resp, err := f.adm.DeleteRecords(ctx, os)
	if err != nil {
		return err
	}
	return resp.Error()
}
