package main

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Codecs every Go client writes (each has all four compressions).
var Codecs = []string{"none", "gzip", "snappy", "lz4", "zstd"}

type Header struct {
	Key   string
	Value []byte
}

// Record is a record as every client's adapter hands it over.
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   []Header
	Timestamp time.Time
}

type TopicPartition struct {
	Topic     string
	Partition int32
}

func (tp TopicPartition) String() string { return fmt.Sprintf("%s-%d", tp.Topic, tp.Partition) }

// Placement is where the broker put a produced record.
type Placement struct {
	Partition int32
	Offset    int64
}

// Records are the records produce writes and consume expects, made from (topic, index) alone so
// the two scenarios share nothing but their options. Codec topic record i goes to partition
// i % partitions at offset i / partitions with timestamp baseTs + i; some keys and values are
// null, and every record has headers (one empty, one binary, one key repeated).
type Records struct {
	Prefix     string
	Partitions int
	Count      int
	BaseTs     int64
}

func newRecords(o Options) Records {
	return Records{
		Prefix:     o.String("prefix", "interop-go"),
		Partitions: int(o.Int("partitions", 4)),
		Count:      int(o.Int("count", 200)),
		BaseTs:     o.Int("base-ts", 1_700_000_000_000),
	}
}

func (r Records) Topic(codec string) string { return r.Prefix + "-" + codec }

func (r Records) Topics() []string {
	var topics []string
	for _, c := range Codecs {
		topics = append(topics, r.Topic(c))
	}
	return topics
}

func (r Records) Record(codec string, i int) Record {
	rec := Record{
		Topic:     r.Topic(codec),
		Partition: int32(i % r.Partitions),
		Offset:    int64(i / r.Partitions),
		Timestamp: time.UnixMilli(r.BaseTs + int64(i)),
		Headers: []Header{
			{"index", []byte(strconv.Itoa(i))},
			{"codec", []byte(codec)},
			{"bin", []byte{0, 255, byte(i % 256)}},
			{"empty", []byte{}},
		},
	}
	if i%97 != 0 {
		rec.Key = []byte(fmt.Sprintf("key-%d", i))
	}
	if i%89 != 5 {
		rec.Value = []byte(fmt.Sprintf("%s-value-%d-%s", codec, i, strings.Repeat("x", i%200)))
	}
	if i%3 == 0 {
		rec.Headers = append(rec.Headers, Header{"index", []byte(fmt.Sprintf("again-%d", i))})
	}
	return rec
}

func (r Records) All(codec string) []Record {
	out := make([]Record, r.Count)
	for i := range out {
		out[i] = r.Record(codec, i)
	}
	return out
}

// PerPartition is how many records of a codec topic partition p holds.
func (r Records) PerPartition(p int) int {
	n := r.Count / r.Partitions
	if p < r.Count%r.Partitions {
		n++
	}
	return n
}

// Expected is the record produce wrote at (topic, partition, offset), if any.
func (r Records) Expected(topic string, partition int32, offset int64) (Record, bool) {
	for _, c := range Codecs {
		i := int(offset)*r.Partitions + int(partition)
		if topic == r.Topic(c) && i < r.Count && int(partition) < r.Partitions && offset >= 0 {
			return r.Record(c, i), true
		}
	}
	return Record{}, false
}

// difference is the first difference between two records' key, value, timestamp and headers
// ("" when equal; null and empty count as equal, as not every client tells them apart).
func difference(want, got Record) string {
	switch {
	case !bytes.Equal(want.Key, got.Key):
		return fmt.Sprintf("key %q != %q", want.Key, got.Key)
	case !bytes.Equal(want.Value, got.Value):
		return fmt.Sprintf("value %q != %q", want.Value, got.Value)
	case !want.Timestamp.Equal(got.Timestamp):
		return fmt.Sprintf("timestamp %d != %d", want.Timestamp.UnixMilli(), got.Timestamp.UnixMilli())
	}
	show := func(hs []Header) string {
		var parts []string
		for _, h := range hs {
			parts = append(parts, fmt.Sprintf("%s=%q", h.Key, h.Value))
		}
		return strings.Join(parts, ",")
	}
	if show(want.Headers) != show(got.Headers) {
		return fmt.Sprintf("headers [%s] != [%s]", show(want.Headers), show(got.Headers))
	}
	return ""
}

// ranges is {partition: {"first", "last", "count"}} of placements.
func ranges(placements []Placement) map[string]any {
	byPartition := map[int32][]int64{}
	for _, p := range placements {
		byPartition[p.Partition] = append(byPartition[p.Partition], p.Offset)
	}
	out := map[string]any{}
	for p, offsets := range byPartition {
		sort.Slice(offsets, func(a, b int) bool { return offsets[a] < offsets[b] })
		out[strconv.Itoa(int(p))] = map[string]any{"first": offsets[0], "last": offsets[len(offsets)-1], "count": len(offsets)}
	}
	return out
}
