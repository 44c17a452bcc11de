#include "kafka/protocol/messages/Fetch.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, FetchRequest &m, int16_t v)
{
    io.i32(m.replicaId);
    io.i32(m.maxWaitMs);
    io.i32(m.minBytes);
    io.i32(m.maxBytes);
    io.i8(m.isolationLevel);
    if (v >= 7) {
        io.i32(m.sessionId);
        io.i32(m.sessionEpoch);
    }
    io.array(m.topics, [v](auto &io, FetchRequest::Topic &t) {
        io.string(t.topic);
        io.array(t.partitions, [v](auto &io, FetchRequest::Partition &p) {
            io.i32(p.partition);
            if (v >= 9)
                io.i32(p.currentLeaderEpoch);
            io.i64(p.fetchOffset);
            if (v >= 12)
                io.i32(p.lastFetchedEpoch);
            if (v >= 5)
                io.i64(p.logStartOffset);
            io.i32(p.partitionMaxBytes);
            io.noTags();
        });
        io.noTags();
    });
    if (v >= 7) {
        io.array(m.forgottenTopicsData, [](auto &io, FetchRequest::ForgottenTopic &t) {
            io.string(t.topic);
            io.int32Array(t.partitions);
            io.noTags();
        });
    }
    if (v >= 11)
        io.string(m.rackId);
    io.tags([&](auto &t) {
        t.field(0, m.clusterId.has_value(), [&](auto &io) { io.nullableString(m.clusterId); });
    });
}

template <class IO>
void serde(IO &io, FetchResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    if (v >= 7) {
        io.i16(m.errorCode);
        io.i32(m.sessionId);
    }
    io.array(m.responses, [v](auto &io, FetchResponse::Topic &t) {
        io.string(t.topic);
        io.array(t.partitions, [v](auto &io, FetchResponse::Partition &p) {
            io.i32(p.partitionIndex);
            io.i16(p.errorCode);
            io.i64(p.highWatermark);
            io.i64(p.lastStableOffset);
            if (v >= 5)
                io.i64(p.logStartOffset);
            io.nullableArray(p.abortedTransactions, true, [](auto &io, FetchResponse::AbortedTransaction &a) {
                io.i64(a.producerId);
                io.i64(a.firstOffset);
                io.noTags();
            });
            if (v >= 11)
                io.i32(p.preferredReadReplica);
            io.nullableBytes(p.records);
            io.tags([&](auto &t) {
                t.field(0, p.divergingEpoch != FetchResponse::EpochEndOffset{}, [&](auto &io) {
                    io.i32(p.divergingEpoch.epoch);
                    io.i64(p.divergingEpoch.endOffset);
                    io.noTags();
                });
                t.field(1, p.currentLeader != FetchResponse::LeaderIdAndEpoch{}, [&](auto &io) {
                    io.i32(p.currentLeader.leaderId);
                    io.i32(p.currentLeader.leaderEpoch);
                    io.noTags();
                });
                t.field(2, p.snapshotId != FetchResponse::SnapshotId{}, [&](auto &io) {
                    io.i64(p.snapshotId.endOffset);
                    io.i32(p.snapshotId.epoch);
                    io.noTags();
                });
            });
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(FetchRequest)
SKIFF_KAFKA_MESSAGE(FetchResponse)
// Fetch responses carry records: they are the one message sent spliced (see Codec.h).
template void encodeMessageSpliced<FetchResponse>(std::string &, std::vector<SplicedBytes> &, FetchResponse &, int16_t);

} // namespace skiff::kafka
