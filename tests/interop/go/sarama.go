package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/IBM/sarama"
)

// saramaClient is IBM/sarama: a SyncProducer, a ConsumerGroup and the ClusterAdmin, all speaking
// the request versions of one Kafka version (sarama picks them from Config.Version, not from
// ApiVersions).
type saramaClient struct {
	bootstrap []string
	version   sarama.KafkaVersion
	adm       sarama.ClusterAdmin
}

// newSarama speaks Kafka 4.0's versions; newSaramaDefault the ones of sarama's DefaultVersion
// (2.8), what a program that never sets Config.Version gets.
func newSarama(bootstrap []string) (client, error) { return openSarama(bootstrap, sarama.V4_0_0_0) }

func newSaramaDefault(bootstrap []string) (client, error) {
	return openSarama(bootstrap, sarama.DefaultVersion)
}

func openSarama(bootstrap []string, version sarama.KafkaVersion) (client, error) {
	s := &saramaClient{bootstrap: bootstrap, version: version}
	adm, err := sarama.NewClusterAdmin(bootstrap, s.config("skiff-interop-sarama-admin"))
	if err != nil {
		return nil, err
	}
	s.adm = adm
	return s, nil
}

func (s *saramaClient) config(id string) *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Version = s.version
	cfg.ClientID = id
	cfg.Admin.Timeout = callTimeout
	return cfg
}

func (s *saramaClient) close() { s.adm.Close() }

func (s *saramaClient) createTopics(topics []string, partitions, replicas int, configs map[string]string) error {
	entries := map[string]*string{}
	for k, v := range configs {
		entries[k] = &v
	}
	for _, t := range topics {
		detail := &sarama.TopicDetail{NumPartitions: int32(partitions), ReplicationFactor: int16(replicas), ConfigEntries: entries}
		if err := s.adm.CreateTopic(t, detail, false); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return nil
}

func (s *saramaClient) replicas(topics []string) (map[string][]int, error) {
	metadata, err := s.adm.DescribeTopics(topics)
	if err != nil {
		return nil, err
	}
	out := map[string][]int{}
	for _, t := range metadata {
		if !errors.Is(t.Err, sarama.ErrNoError) {
			return nil, fmt.Errorf("%s: %w", t.Name, t.Err)
		}
		out[t.Name] = make([]int, len(t.Partitions))
		for _, p := range t.Partitions {
			out[t.Name][p.ID] = len(p.Replicas)
		}
	}
	return out, nil
}

func (s *saramaClient) topicConfig(topic, name string) (string, error) {
	entries, err := s.adm.DescribeConfig(sarama.ConfigResource{Type: sarama.TopicResource, Name: topic, ConfigNames: []string{name}})
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Name == name {
			return e.Value, nil
		}
	}
	return "", fmt.Errorf("%s has no config %s", topic, name)
}

var saramaCodecs = map[string]sarama.CompressionCodec{
	"none": sarama.CompressionNone, "gzip": sarama.CompressionGZIP, "snappy": sarama.CompressionSnappy,
	"lz4": sarama.CompressionLZ4, "zstd": sarama.CompressionZSTD,
}

func (s *saramaClient) idempotent() bool { return true }

func (s *saramaClient) produce(codec string, records []Record) ([]Placement, error) {
	cfg := s.config("skiff-interop-sarama-producer")
	cfg.Producer.Idempotent = true // needs acks=all and one request in flight
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Net.MaxOpenRequests = 1
	cfg.Producer.Return.Successes = true
	cfg.Producer.Partitioner = sarama.NewManualPartitioner
	cfg.Producer.Compression = saramaCodecs[codec]
	cfg.Producer.Flush.Frequency = 5 * time.Millisecond
	p, err := sarama.NewSyncProducer(s.bootstrap, cfg)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	msgs := make([]*sarama.ProducerMessage, len(records))
	for i, r := range records {
		m := &sarama.ProducerMessage{Topic: r.Topic, Partition: r.Partition, Timestamp: r.Timestamp}
		if r.Key != nil {
			m.Key = sarama.ByteEncoder(r.Key)
		}
		if r.Value != nil {
			m.Value = sarama.ByteEncoder(r.Value)
		}
		for _, h := range r.Headers {
			m.Headers = append(m.Headers, sarama.RecordHeader{Key: []byte(h.Key), Value: h.Value})
		}
		msgs[i] = m
	}
	if err := p.SendMessages(msgs); err != nil {
		return nil, err
	}
	out := make([]Placement, len(msgs))
	for i, m := range msgs {
		out[i] = Placement{m.Partition, m.Offset}
	}
	return out, nil
}

// saramaMember runs ConsumerGroup.Consume in a goroutine; its handler hands records over a channel
// and keeps the session, through which commit marks and commits offsets.
type saramaMember struct {
	group   sarama.ConsumerGroup
	cancel  context.CancelFunc
	done    chan struct{}
	records chan Record
	mu      sync.Mutex
	session sarama.ConsumerGroupSession
	err     error
}

func (s *saramaClient) member(group string, topics []string) (member, error) {
	cfg := s.config("skiff-interop-sarama-consumer")
	cfg.Consumer.Offsets.Initial = sarama.OffsetOldest
	cfg.Consumer.Offsets.AutoCommit.Enable = false
	cfg.Consumer.MaxWaitTime = 500 * time.Millisecond
	cg, err := sarama.NewConsumerGroup(s.bootstrap, group, cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &saramaMember{group: cg, cancel: cancel, done: make(chan struct{}), records: make(chan Record)}
	go func() {
		defer close(m.done)
		for ctx.Err() == nil {
			if err := cg.Consume(ctx, topics, m); err != nil && ctx.Err() == nil {
				m.mu.Lock()
				m.err = err
				m.mu.Unlock()
				time.Sleep(100 * time.Millisecond)
			}
		}
	}()
	return m, nil
}

func (m *saramaMember) Setup(s sarama.ConsumerGroupSession) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.session = s
	return nil
}

func (m *saramaMember) Cleanup(sarama.ConsumerGroupSession) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.session = nil
	return nil
}

func (m *saramaMember) ConsumeClaim(s sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for msg := range claim.Messages() {
		rec := Record{Topic: msg.Topic, Partition: msg.Partition, Offset: msg.Offset, Key: msg.Key, Value: msg.Value, Timestamp: msg.Timestamp}
		for _, h := range msg.Headers {
			rec.Headers = append(rec.Headers, Header{string(h.Key), h.Value})
		}
		select {
		case m.records <- rec:
		case <-s.Context().Done():
			return nil
		}
	}
	return nil
}

func (m *saramaMember) next(ctx context.Context) (Record, error) {
	select {
	case rec := <-m.records:
		return rec, nil
	case <-ctx.Done():
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.err != nil {
			return Record{}, fmt.Errorf("consume: %w", m.err)
		}
		return Record{}, ctx.Err()
	}
}

func (m *saramaMember) commit(offsets map[TopicPartition]int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.session == nil {
		return errors.New("no group session to commit in")
	}
	for tp, o := range offsets {
		m.session.MarkOffset(tp.Topic, tp.Partition, o, "")
	}
	m.session.Commit()
	return nil
}

func (m *saramaMember) close() error {
	m.cancel()
	err := m.group.Close()
	<-m.done
	return err
}

func (s *saramaClient) committed(group string, topics []string) (map[TopicPartition]int64, error) {
	resp, err := s.adm.ListConsumerGroupOffsets(group, nil)
	if err != nil {
		return nil, err
	}
	if !errors.Is(resp.Err, sarama.ErrNoError) {
		return nil, resp.Err
	}
	out := map[TopicPartition]int64{}
	for _, t := range topics {
		for p, b := range resp.Blocks[t] {
			if !errors.Is(b.Err, sarama.ErrNoError) {
				return nil, fmt.Errorf("%s-%d: %w", t, p, b.Err)
			}
			if b.Offset >= 0 {
				out[TopicPartition{t, p}] = b.Offset
			}
		}
	}
	return out, nil
}
