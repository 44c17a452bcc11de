package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// A member is one consumer in a classic-protocol group.
type member interface {
	// next is the next record the group gave this member; ctx's error when none came in time.
	next(ctx context.Context) (Record, error)
	// commit commits these next offsets for the group.
	commit(offsets map[TopicPartition]int64) error
	close() error
}

const (
	readTimeout = 60 * time.Second
	// settle is how long a member that has what it should have is read on, to catch extra records.
	settle = 500 * time.Millisecond
	// resumeAt is where the resume step commits every partition of the none topic.
	resumeAt = 10
)

// consumeScenario: consume BOOTSTRAP [the options produce was given]. Reads back exactly what
// produce wrote through a group and checks the commit; rejoins to resume from committed offsets;
// and has two members split a topic's partitions.
func consumeScenario(name string, c client, o Options) *Steps {
	r := newRecords(o)
	steps := newSteps(name, "consume")
	topic := r.Topic("none")

	steps.Run("read_back", func(result map[string]any) {
		group := r.Prefix + "-read-back"
		m, err := c.member(group, r.Topics())
		must(err, "join "+group)
		defer m.close()
		got := readUntil(m, r.Count*len(Codecs))
		v := verify(r, got)
		result["records"], result["per_topic"], result["duplicates"] = len(got), v.perTopic, v.duplicates
		result["mismatches"] = v.mismatches
		check(len(v.mismatches) == 0 && v.duplicates == 0, "%d mismatches, %d duplicates", len(v.mismatches), v.duplicates)
		equal(r.Count*len(Codecs), len(got), "records read")
		ends := map[TopicPartition]int64{}
		for _, t := range r.Topics() {
			for p := 0; p < r.Partitions; p++ {
				ends[TopicPartition{t, int32(p)}] = int64(r.PerPartition(p))
			}
		}
		must(m.commit(ends), "commit")
		committed, err := c.committed(group, r.Topics())
		must(err, "fetch committed offsets")
		equal(ends, committed, "committed offsets")
	})

	steps.Run("resume_from_committed", func(result map[string]any) {
		group := r.Prefix + "-resume"
		first, err := c.member(group, []string{topic})
		must(err, "join "+group)
		got := readUntil(first, r.Count)
		equal(r.Count, len(got), "records the first member read")
		at := map[TopicPartition]int64{}
		for p := 0; p < r.Partitions; p++ {
			at[TopicPartition{topic, int32(p)}] = resumeAt
		}
		must(first.commit(at), "commit")
		must(first.close(), "leave")
		second, err := c.member(group, []string{topic})
		must(err, "rejoin "+group)
		defer second.close()
		got = readUntil(second, r.Count-resumeAt*r.Partitions)
		v := verify(r, got)
		result["records"], result["resumed_at"] = len(got), v.firstOffsets
		check(len(v.mismatches) == 0 && v.duplicates == 0, "%d mismatches (%v), %d duplicates", len(v.mismatches), v.mismatches, v.duplicates)
		equal(r.Count-resumeAt*r.Partitions, len(got), "records after rejoining")
		for p := 0; p < r.Partitions; p++ {
			equal(int64(resumeAt), v.firstOffsets[fmt.Sprint(p)], fmt.Sprintf("first offset of partition %d after rejoining", p))
		}
	})

	steps.Run("two_member_split", func(result map[string]any) {
		group := r.Prefix + "-split"
		var members [2]member
		for i := range members {
			m, err := c.member(group, []string{topic})
			must(err, "join "+group)
			defer m.close()
			members[i] = m
		}
		// Both read at once until together they have every record.
		var mu sync.Mutex
		var got [2][]Record
		total := func() int { mu.Lock(); defer mu.Unlock(); return len(got[0]) + len(got[1]) }
		var errs []any // a member's failure, which must end the step, not the program
		var wg sync.WaitGroup
		for i, m := range members {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if p := recover(); p != nil {
						mu.Lock()
						errs = append(errs, p)
						mu.Unlock()
					}
				}()
				readWhile(m, func() bool { return total() < r.Count }, func(rec Record) {
					mu.Lock()
					got[i] = append(got[i], rec)
					mu.Unlock()
				})
			}()
		}
		wg.Wait()
		check(len(errs) == 0, "members failed: %v", errs)
		a, b := partitionsOf(got[0]), partitionsOf(got[1])
		result["a_partitions"], result["b_partitions"], result["records"] = a, b, len(got[0])+len(got[1])
		v := verify(r, append(append([]Record{}, got[0]...), got[1]...))
		check(len(v.mismatches) == 0 && v.duplicates == 0, "%d mismatches (%v), %d duplicates", len(v.mismatches), v.mismatches, v.duplicates)
		equal(r.Count, len(got[0])+len(got[1]), "records the two members read")
		check(len(a) > 0 && len(b) > 0, "one member read nothing: %v / %v", a, b)
		all := append(append([]int32{}, a...), b...)
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		want := make([]int32, r.Partitions)
		for p := range want {
			want[p] = int32(p)
		}
		equal(want, all, "partitions the two members read, together (each partition read by one member)")
	})
	return steps
}

func nextWithin(m member, d time.Duration) (Record, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	rec, err := m.next(ctx)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		panic(failure{"consume: " + err.Error()})
	}
	return rec, err == nil
}

// readUntil reads want records (or for readTimeout), then on while more come within settle.
func readUntil(m member, want int) []Record {
	var got []Record
	readWhile(m, func() bool { return len(got) < want }, func(rec Record) { got = append(got, rec) })
	return got
}

// readWhile hands add what m reads while more() (or for readTimeout), then while more records
// come within settle: the records past the expected ones are there to be seen.
func readWhile(m member, more func() bool, add func(Record)) {
	deadline := time.Now().Add(readTimeout)
	for more() && time.Now().Before(deadline) {
		if rec, ok := nextWithin(m, time.Second); ok {
			add(rec)
		}
	}
	for {
		rec, ok := nextWithin(m, settle)
		if !ok {
			return
		}
		add(rec)
	}
}

type verified struct {
	perTopic     map[string]int
	firstOffsets map[string]int64 // by partition (one topic)
	duplicates   int
	mismatches   []string // the first few
}

// verify checks every record against what produce wrote at its place.
func verify(r Records, got []Record) verified {
	v := verified{perTopic: map[string]int{}, firstOffsets: map[string]int64{}, mismatches: []string{}}
	seen := map[string]bool{}
	for _, rec := range got {
		place := fmt.Sprintf("%s-%d@%d", rec.Topic, rec.Partition, rec.Offset)
		if seen[place] {
			v.duplicates++
			continue
		}
		seen[place] = true
		v.perTopic[rec.Topic]++
		p := fmt.Sprint(rec.Partition)
		if first, ok := v.firstOffsets[p]; !ok || rec.Offset < first {
			v.firstOffsets[p] = rec.Offset
		}
		want, ok := r.Expected(rec.Topic, rec.Partition, rec.Offset)
		diff := "not produced"
		if ok {
			diff = difference(want, rec)
		}
		if diff != "" && len(v.mismatches) < 5 {
			v.mismatches = append(v.mismatches, place+": "+diff)
		}
	}
	return v
}

func partitionsOf(records []Record) []int32 {
	seen := map[int32]bool{}
	var out []int32
	for _, rec := range records {
		if !seen[rec.Partition] {
			seen[rec.Partition] = true
			out = append(out, rec.Partition)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
