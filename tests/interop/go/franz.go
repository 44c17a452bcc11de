package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// franz is twmb/franz-go: kgo for producing and consuming, kadm for admin.
type franz struct {
	bootstrap []string
	cl        *kgo.Client
	adm       *kadm.Client
}

const callTimeout = 30 * time.Second

func newFranz(bootstrap []string) (client, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap...), kgo.ClientID("skiff-interop-franz"),
		// kadm answers from metadata up to this old: the admin steps list topics right after changing them.
		kgo.MetadataMinAge(250*time.Millisecond))
	if err != nil {
		return nil, err
	}
	return &franz{bootstrap: bootstrap, cl: cl, adm: kadm.NewClient(cl)}, nil
}

func (f *franz) close() { f.cl.Close() }

func timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout)
}

func (f *franz) createTopics(topics []string, partitions, replicas int, configs map[string]string) error {
	ctx, cancel := timeout()
	defer cancel()
	cfg := map[string]*string{}
	for k, v := range configs {
		cfg[k] = kadm.StringPtr(v)
	}
	resp, err := f.adm.CreateTopics(ctx, int32(partitions), int16(replicas), cfg, topics...)
	if err != nil {
		return err
	}
	return resp.Error()
}

func (f *franz) replicas(topics []string) (map[string][]int, error) {
	ctx, cancel := timeout()
	defer cancel()
	details, err := f.adm.ListTopics(ctx, topics...)
	if err != nil {
		return nil, err
	}
	out := map[string][]int{}
	for _, d := range details.Sorted() {
		if d.Err != nil {
			return nil, fmt.Errorf("%s: %w", d.Topic, d.Err)
		}
		for _, p := range d.Partitions.Sorted() {
			out[d.Topic] = append(out[d.Topic], len(p.Replicas))
		}
	}
	return out, nil
}

func (f *franz) topicConfig(topic, name string) (string, error) {
	ctx, cancel := timeout()
	defer cancel()
	configs, err := f.adm.DescribeTopicConfigs(ctx, topic)
	if err != nil {
		return "", err
	}
	rc, err := configs.On(topic, nil)
	if err != nil {
		return "", err
	}
	if rc.Err != nil {
		return "", rc.Err
	}
	for _, c := range rc.Configs {
		if c.Key == name {
			return c.MaybeValue(), nil
		}
	}
	return "", fmt.Errorf("%s has no config %s", topic, name)
}

var franzCodecs = map[string]kgo.CompressionCodec{
	"none": kgo.NoCompression(), "gzip": kgo.GzipCompression(), "snappy": kgo.SnappyCompression(),
	"lz4": kgo.Lz4Compression(), "zstd": kgo.ZstdCompression(),
}

// idempotent: kgo's producer is idempotent with acks=all unless told otherwise.
func (f *franz) idempotent() bool { return true }

func (f *franz) produce(codec string, records []Record) ([]Placement, error) {
	p, err := kgo.NewClient(kgo.SeedBrokers(f.bootstrap...), kgo.ClientID("skiff-interop-franz-producer"),
		kgo.RequiredAcks(kgo.AllISRAcks()), kgo.ProducerBatchCompression(franzCodecs[codec]),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerLinger(5*time.Millisecond))
	if err != nil {
		return nil, err
	}
	defer p.Close()
	rs := make([]*kgo.Record, len(records))
	for i, r := range records {
		rs[i] = &kgo.Record{Topic: r.Topic, Partition: r.Partition, Key: r.Key, Value: r.Value, Timestamp: r.Timestamp}
		for _, h := range r.Headers {
			rs[i].Headers = append(rs[i].Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	results := p.ProduceSync(ctx, rs...)
	if err := results.FirstErr(); err != nil {
		return nil, err
	}
	// Results come in the order they were acknowledged; each names its record.
	index := make(map[*kgo.Record]int, len(rs))
	for i, r := range rs {
		index[r] = i
	}
	out := make([]Placement, len(results))
	for _, res := range results {
		out[index[res.Record]] = Placement{res.Record.Partition, res.Record.Offset}
	}
	return out, nil
}

type franzMember struct {
	cl      *kgo.Client
	pending []*kgo.Record
}

func (f *franz) member(group string, topics []string) (member, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(f.bootstrap...), kgo.ClientID("skiff-interop-franz-consumer"),
		kgo.ConsumerGroup(group), kgo.ConsumeTopics(topics...), kgo.DisableAutoCommit(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(500*time.Millisecond))
	if err != nil {
		return nil, err
	}
	return &franzMember{cl: cl}, nil
}

func (m *franzMember) next(ctx context.Context) (Record, error) {
	for len(m.pending) == 0 {
		fetches := m.cl.PollFetches(ctx)
		for _, e := range fetches.Errors() {
			return Record{}, e.Err
		}
		if ctx.Err() != nil {
			return Record{}, ctx.Err()
		}
		m.pending = fetches.Records()
	}
	r := m.pending[0]
	m.pending = m.pending[1:]
	rec := Record{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Key: r.Key, Value: r.Value, Timestamp: r.Timestamp}
	for _, h := range r.Headers {
		rec.Headers = append(rec.Headers, Header{h.Key, h.Value})
	}
	return rec, nil
}

func (m *franzMember) commit(offsets map[TopicPartition]int64) error {
	ctx, cancel := timeout()
	defer cancel()
	uncommitted := map[string]map[int32]kgo.EpochOffset{}
	for tp, o := range offsets {
		if uncommitted[tp.Topic] == nil {
			uncommitted[tp.Topic] = map[int32]kgo.EpochOffset{}
		}
		uncommitted[tp.Topic][tp.Partition] = kgo.EpochOffset{Epoch: -1, Offset: o}
	}
	var failed error
	m.cl.CommitOffsetsSync(ctx, uncommitted, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			failed = err
			return
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if e := kerr.ErrorForCode(p.ErrorCode); e != nil {
					failed = errors.Join(failed, fmt.Errorf("%s-%d: %w", t.Topic, p.Partition, e))
				}
			}
		}
	})
	return failed
}

func (m *franzMember) close() error {
	m.cl.Close() // leaves the group
	return nil
}

func (f *franz) committed(group string, topics []string) (map[TopicPartition]int64, error) {
	ctx, cancel := timeout()
	defer cancel()
	resp, err := f.adm.FetchOffsetsForTopics(ctx, group, topics...)
	if err != nil {
		return nil, err
	}
	if err := resp.Error(); err != nil {
		return nil, err
	}
	out := map[TopicPartition]int64{}
	resp.Each(func(o kadm.OffsetResponse) {
		if o.At >= 0 {
			out[TopicPartition{o.Topic, o.Partition}] = o.At
		}
	})
	return out, nil
}
