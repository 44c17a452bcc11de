package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	kafka "github.com/segmentio/kafka-go"
)

// kafkaGo is segmentio/kafka-go: a Writer, a group Reader and the Client's admin requests.
// It has no idempotent producer.
type kafkaGo struct {
	bootstrap []string
	cl        *kafka.Client
}

func newKafkaGo(bootstrap []string) (client, error) {
	return &kafkaGo{bootstrap: bootstrap, cl: &kafka.Client{Addr: kafka.TCP(bootstrap...), Timeout: callTimeout}}, nil
}

func (k *kafkaGo) close() {}

func (k *kafkaGo) createTopics(topics []string, partitions, replicas int, configs map[string]string) error {
	ctx, cancel := timeout()
	defer cancel()
	req := &kafka.CreateTopicsRequest{}
	for _, t := range topics {
		tc := kafka.TopicConfig{Topic: t, NumPartitions: partitions, ReplicationFactor: replicas}
		for name, value := range configs {
			tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: name, ConfigValue: value})
		}
		req.Topics = append(req.Topics, tc)
	}
	resp, err := k.cl.CreateTopics(ctx, req)
	if err != nil {
		return err
	}
	var errs error
	for t, e := range resp.Errors {
		if e != nil {
			errs = errors.Join(errs, fmt.Errorf("%s: %w", t, e))
		}
	}
	return errs
}

func (k *kafkaGo) replicas(topics []string) (map[string][]int, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return nil, err
	}
	out := map[string][]int{}
	for _, t := range resp.Topics {
		if t.Error != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, t.Error)
		}
		out[t.Name] = make([]int, len(t.Partitions))
		for _, p := range t.Partitions {
			out[t.Name][p.ID] = len(p.Replicas)
		}
	}
	return out, nil
}

func (k *kafkaGo) topicConfig(topic, name string) (string, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := k.cl.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{
		{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: []string{name}}}})
	if err != nil {
		return "", err
	}
	for _, r := range resp.Resources {
		if r.Error != nil {
			return "", r.Error
		}
		for _, e := range r.ConfigEntries {
			if e.ConfigName == name {
				return e.ConfigValue, nil
			}
		}
	}
	return "", fmt.Errorf("%s has no config %s", topic, name)
}

var kafkaGoCodecs = map[string]kafka.Compression{
	"none": 0, "gzip": kafka.Gzip, "snappy": kafka.Snappy, "lz4": kafka.Lz4, "zstd": kafka.Zstd,
}

func (k *kafkaGo) idempotent() bool { return false }

// partitionAsGiven is a Balancer that sends a message to the partition it names.
type partitionAsGiven struct{}

func (partitionAsGiven) Balance(m kafka.Message, _ ...int) int { return m.Partition }

func (k *kafkaGo) produce(codec string, records []Record) ([]Placement, error) {
	out := make([]Placement, len(records))
	var mu sync.Mutex
	var completionErr error
	w := &kafka.Writer{Addr: kafka.TCP(k.bootstrap...), Balancer: partitionAsGiven{}, RequiredAcks: kafka.RequireAll,
		Compression: kafkaGoCodecs[codec], BatchTimeout: 5 * time.Millisecond, MaxAttempts: 5,
		// Completion is where the Writer tells the offsets; the "index" header (every record
		// has one) says which record.
		Completion: func(msgs []kafka.Message, err error) {
			mu.Lock()
			defer mu.Unlock()
			for _, m := range msgs {
				i, convErr := -1, error(nil)
				for _, h := range m.Headers {
					if h.Key == "index" {
						i, convErr = strconv.Atoi(string(h.Value))
						break
					}
				}
				if err != nil || convErr != nil || i < 0 || i >= len(out) {
					completionErr = errors.Join(completionErr, err, convErr)
					continue
				}
				out[i] = Placement{int32(m.Partition), m.Offset}
			}
		}}
	msgs := make([]kafka.Message, len(records))
	for i, r := range records {
		msgs[i] = kafka.Message{Topic: r.Topic, Partition: int(r.Partition), Key: r.Key, Value: r.Value, Time: r.Timestamp}
		for _, h := range r.Headers {
			msgs[i].Headers = append(msgs[i].Headers, kafka.Header{Key: h.Key, Value: h.Value})
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	err := w.WriteMessages(ctx, msgs...)
	if closeErr := w.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, err
	}
	return out, completionErr
}

type kafkaGoMember struct{ r *kafka.Reader }

func (k *kafkaGo) member(group string, topics []string) (member, error) {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: k.bootstrap, GroupID: group, GroupTopics: topics,
		StartOffset: kafka.FirstOffset, MaxWait: 500 * time.Millisecond, HeartbeatInterval: time.Second,
		SessionTimeout: 10 * time.Second, RebalanceTimeout: 10 * time.Second})
	return &kafkaGoMember{r}, nil
}

func (m *kafkaGoMember) next(ctx context.Context) (Record, error) {
	msg, err := m.r.FetchMessage(ctx)
	if err != nil {
		return Record{}, err
	}
	rec := Record{Topic: msg.Topic, Partition: int32(msg.Partition), Offset: msg.Offset, Key: msg.Key, Value: msg.Value, Timestamp: msg.Time}
	for _, h := range msg.Headers {
		rec.Headers = append(rec.Headers, Header{h.Key, h.Value})
	}
	return rec, nil
}

// commit commits through CommitMessages, which commits a message's offset + 1.
func (m *kafkaGoMember) commit(offsets map[TopicPartition]int64) error {
	ctx, cancel := timeout()
	defer cancel()
	var msgs []kafka.Message
	for tp, o := range offsets {
		msgs = append(msgs, kafka.Message{Topic: tp.Topic, Partition: int(tp.Partition), Offset: o - 1})
	}
	return m.r.CommitMessages(ctx, msgs...)
}

func (m *kafkaGoMember) close() error { return m.r.Close() }

func (k *kafkaGo) committed(group string, topics []string) (map[TopicPartition]int64, error) {
	ctx, cancel := timeout()
	defer cancel()
	req := &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{}}
	meta, err := k.replicas(topics)
	if err != nil {
		return nil, err
	}
	for _, t := range topics {
		for p := range meta[t] {
			req.Topics[t] = append(req.Topics[t], p)
		}
	}
	resp, err := k.cl.OffsetFetch(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	out := map[TopicPartition]int64{}
	for t, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("%s-%d: %w", t, p.Partition, p.Error)
			}
			if p.CommittedOffset >= 0 {
				out[TopicPartition{t, int32(p.Partition)}] = p.CommittedOffset
			}
		}
	}
	return out, nil
}
