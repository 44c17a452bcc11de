#pragma once
// What the charts need from one StatusSnapshot, kept per node in a ring buffer. Rates are derived
// from the node's own clock (server_time_unix_ms) so network jitter does not show as load.

#include <QtGlobal>

#include <cstdint>

namespace skiff::gui {

struct NodeSample {
    qint64 localMs = 0;          // when the dashboard received it (the charts' common x axis)
    qint64 serverMs = 0;         // when the node took it
    uint64_t term = 0;
    uint64_t leaderId = 0;
    uint64_t commit = 0;
    uint64_t applied = 0;
    uint64_t iterations = 0;     // Ready-loop iterations since start
    int64_t maxLoopGapMs = 0;    // largest gap since start (the node keeps only the maximum)
    // Mean Ready-loop period since the previous sample: elapsed / iterations; < 0 when unknown
    // (first sample, or a restart reset the counter).
    double loopIntervalMs = -1;
    // The longest Ready-loop interval since the previous sample, from the difference of the two
    // snapshots' interval histograms (so within one bucket, 6.25 %); < 0 when unknown.
    double longestIntervalMs = -1;
    double commitRate = -1;      // entries/s since the previous sample; < 0 when unknown
    // The furthest any follower of a partition this node leads is behind (messages, as the node
    // reports it); < 0 when the node does not report it.
    double maxFollowerLag = -1;
    // The data plane over the span since the node's previous rate sample (ClusterModel::kRateSpanMs
    // of the node's time at least, so a snapshot rate of 10 Hz does not chart batching as noise):
    // per second, summed over topics (admin/TrafficRates.h), and the p99 of the requests that
    // ended in the span (HistogramDelta). < 0 on the samples in between, on a node too old to
    // report them, and for a p99 when no such request ended in the span.
    double bytesIn = -1;             // from producers
    double consumerBytesOut = -1;
    double replicaBytesOut = -1;
    double messagesIn = -1;
    double produceAllP99Ms = -1;     // Produce with acks=all
    double fetchConsumerP99Ms = -1;  // Fetch from consumers
};

} // namespace skiff::gui
