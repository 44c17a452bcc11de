// Command skiff-interop-go drives one Go Kafka client against a Kafka-compatible broker:
//
//	skiff-interop-go CLIENT SCENARIO BOOTSTRAP [--option value ...]
//
// CLIENT is franz (twmb/franz-go: kgo and kadm), sarama (IBM/sarama speaking Kafka 4.0's request
// versions), sarama-default (sarama at its default version, 2.8) or kafkago (segmentio/kafka-go);
// SCENARIO is produce, consume or admin (produce.go, consume.go, admin.go; each client's adapter
// is CLIENT.go and CLIENT_admin.go). It prints one JSON line of steps on stdout and exits 0 when
// every step passed, 1 when one failed (the JSON says which, stderr says why), 2 on a usage
// error. The structure follows the Java runner's (tests/interop/java) so the two read alike.
package main

import (
	"fmt"
	"os"
)

// A client is what the shared produce and consume scenarios need of one library.
type client interface {
	// createTopics creates topics with this many partitions and replicas and these configs.
	createTopics(topics []string, partitions, replicas int, configs map[string]string) error
	// replicas is the replica count of each partition of each topic, from the client's metadata.
	replicas(topics []string) (map[string][]int, error)
	// topicConfig is a topic config's value as DescribeConfigs gives it.
	topicConfig(topic, name string) (string, error)
	// produce writes records in order (acks=all, idempotent when the client can) compressed
	// with codec, and returns where each landed.
	produce(codec string, records []Record) ([]Placement, error)
	idempotent() bool
	// member joins group, subscribed to topics, reading from the start when nothing is committed.
	member(group string, topics []string) (member, error)
	// committed is the group's committed offset of each partition of topics.
	committed(group string, topics []string) (map[TopicPartition]int64, error)
	adminAPI
	close()
}

var clients = map[string]func(bootstrap []string) (client, error){
	"franz":          newFranz,
	"sarama":         newSarama,
	"sarama-default": newSaramaDefault,
	"kafkago":        newKafkaGo,
}

func usage(why string) {
	fmt.Fprintln(os.Stderr, why)
	fmt.Fprintln(os.Stderr, "usage: skiff-interop-go franz|sarama|sarama-default|kafkago produce|consume|admin BOOTSTRAP [--option value ...]")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 4 {
		usage("missing arguments")
	}
	name, scenario, bootstrap := os.Args[1], os.Args[2], splitBootstrap(os.Args[3])
	options, err := parseOptions(os.Args[4:])
	if err != nil {
		usage(err.Error())
	}
	open, known := clients[name]
	if !known {
		usage("unknown client: " + name)
	}
	c, err := open(bootstrap)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot create the client: %v\n", name, err)
		os.Exit(1)
	}
	defer c.close()
	var steps *Steps
	switch scenario {
	case "produce":
		steps = produceScenario(name, c, options)
	case "consume":
		steps = consumeScenario(name, c, options)
	case "admin":
		steps = adminScenario(name, c, options)
	default:
		usage("unknown scenario: " + scenario)
	}
	fmt.Println(steps.JSON())
	if !steps.OK() {
		fmt.Fprintf(os.Stderr, "%s %s: FAILED steps %v\n", name, scenario, steps.failed)
		os.Exit(1)
	}
}
