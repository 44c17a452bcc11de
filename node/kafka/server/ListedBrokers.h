#pragma once
// The brokers Metadata and DescribeCluster tell a client of, and the one they name as controller.
//
// Kafka's rule for both lists: unfenced brokers with an endpoint of the listener the client came
// in on. The controller a client is given is a broker, not the metadata Raft leader: any Skiff node
// takes CreateTopics, DeleteTopics, CreatePartitions and the other admin requests and proposes
// them through its Raft node, which forwards them to the leader (as a KRaft broker forwards them
// to the active controller, KIP-590). Naming the Raft leader sent clients to a stopped former
// leader until every node had heard of the election (librdkafka's admin client dialled it for 30 s).

#include "metadata/MetadataImage.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::kafka {

struct ListedBroker {
    int32_t id = 0;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;   // none when the broker has no rack
};

// In broker id order.
std::vector<ListedBroker> listedBrokers(const metadata::MetadataImage &image, std::string_view listener);

// The controller id to answer with: this node when it is listed (it is live: the client is talking
// to it), else the first listed broker (a node not yet registered or fenced still answers), -1
// when none is. Kafka's broker names a random live broker; naming itself also spares the client a
// second connection.
int32_t controllerToName(const std::vector<ListedBroker> &listed, uint64_t self);

} // namespace skiff::kafka
