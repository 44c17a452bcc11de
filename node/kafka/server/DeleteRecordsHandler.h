#pragma once
// DeleteRecords (key 21, KIP-107): moves the log start offset of partitions this broker leads
// (PartitionLog::advanceLogStartOffset; offset -1 means the high watermark, offsets above it are
// OFFSET_OUT_OF_RANGE), then answers each partition once its low watermark, the lowest log start
// over its live replicas, reached the offset: followers follow the leader's log start from their
// Fetch responses and report theirs in the next Fetch (ReplicaManager). REQUEST_TIMED_OUT after
// the request's timeout, as Kafka's DelayedDeleteRecords.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct DeleteRecordsRequest;

class DeleteRecordsHandler {
public:
    explicit DeleteRecordsHandler(BrokerContext &context) : m_context(context) {}

    void handle(RequestInfo info, const DeleteRecordsRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
