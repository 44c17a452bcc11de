#pragma once
// A follower's fetch client: one connection from this broker to ONE leader broker, replicating
// the partitions its owner names with Kafka's own Fetch v12 (ReplicaId, CurrentLeaderEpoch,
// LastFetchedEpoch -> DivergingEpoch), no private protocol. Lives on the kafka thread (it is
// called and calls back there); Qt networking, never blocks.
//
// The loop, with one request in flight at a time:
//   positions() -> Fetch -> response -> onPartition(tp, answer, done) for each partition
//   -> once every done() of that response ran -> positions() -> the next Fetch ...
// done() means "handled: the records are durable (or the error is dealt with)". The leader
// takes a fetch offset as the follower's position, and Skiff counts a position only once it is
// fsynced (acks=all means "on every ISR member's disk"), so no request may go out while an
// append of the previous answer is still on its way to disk.
//
// Not Kafka's fetch sessions (session id 0, epoch -1: every request names every partition).

#include "kafka/protocol/messages/Fetch.h"
#include "kafka/replication/SaslLogin.h"
#include "kafka/server/TopicPartition.h"
#include "cluster/peer/PeerBackoff.h"
#include "net/FrameDecoder.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QTcpSocket;

namespace skiff::kafka {

// Where a follower's log of one partition stands, as the next Fetch reports it.
struct FetchPosition {
    int64_t fetchOffset = 0;          // the follower's log end
    int32_t lastFetchedEpoch = -1;    // epoch of the last batch in the follower's log (-1: empty log)
    int32_t currentLeaderEpoch = -1;  // the leader epoch of the image that made us follow (KIP-320)
    int64_t logStartOffset = -1;      // the follower's log start (Kafka followers send theirs)
    bool operator==(const FetchPosition &) const = default;
};

class ReplicaFetcher : public QObject {
    Q_OBJECT
public:
    // Defaults are Kafka's replica.fetch.* defaults.
    struct Options {
        int32_t maxWaitMs = 500;                    // replica.fetch.wait.max.ms
        int32_t minBytes = 1;                       // replica.fetch.min.bytes
        int32_t maxBytes = 10 * 1024 * 1024;        // replica.fetch.response.max.bytes
        int32_t partitionMaxBytes = 1024 * 1024;    // replica.fetch.max.bytes
        // A response frame above this is a connection problem. Well above maxBytes: a leader
        // sends the first batch whole even when it alone exceeds the limits (KIP-74).
        uint32_t maxResponseFrameBytes = 64 * 1024 * 1024;
        // replica.socket.timeout.ms: how long connecting may take, and how long an answer may
        // take beyond maxWaitMs, before the connection counts as dead (a paused or cut-off leader).
        int socketTimeoutMs = 30000;
        // replica.fetch.backoff.ms: a partition answered with an error is left out of the
        // requests for this long, or until wake(), so a leader that refuses it is not hammered.
        int errorBackoffMs = 1000;
    };

    struct Hooks {
        // Which partitions to fetch and from where; asked before each request (and again when
        // its answer arrives, see onPartition). Empty: idle until wake().
        std::function<std::map<TopicPartition, FetchPosition>()> positions;
        // One partition's answer: errors as the leader sent them (a top-level error comes as
        // that error on every partition of the request), `records` whole batches or empty,
        // divergingEpoch set when the follower must truncate first; the reference is valid
        // during the call only. Only partitions whose
        // position is still the one the request carried arrive (a partition dropped, truncated
        // or moved to a new leader epoch meanwhile is skipped, as Kafka's fetcher does). Call
        // done() on the fetcher's thread once handled (records appended and durable); it may
        // be called at once or later, more than once is harmless, after stop() it does nothing.
        std::function<void(const TopicPartition &, const FetchResponse::Partition &, std::function<void()> done)>
            onPartition;
        // The connection failed, closed, timed out or carried something undecodable; the
        // fetcher reconnects by itself (100 ms doubling to 2 s). The owner rate-limits the log.
        std::function<void(const QString &why)> onConnectionProblem;
        // Set when the inter-broker listener uses TLS: the configuration of each new connection
        // (asked at every connect, so renewed certificates are used from the next one on).
        std::function<QSslConfiguration()> tls;
        // Set when the inter-broker listener uses SASL: each connection logs in with these
        // before its first Fetch, and again before the session lifetime the leader names runs
        // out (KIP-368). A refusal is a connection problem: reported, then retried with backoff
        // (a user made after the cluster started is picked up by the next attempt).
        std::optional<SaslCredentials> sasl;
    };

    ReplicaFetcher(uint64_t selfId, uint64_t leaderId, QString host, quint16 port, Options options, Hooks hooks,
                   QObject *parent = nullptr);
    ~ReplicaFetcher() override;

    // Positions changed (a new partition, a truncation done, a newer image): forgets the error
    // backoff of every partition and sends now if nothing is in flight or awaiting done().
    void wake();
    // Leaves `tp` out of the fetches for `ms` even if woken meanwhile: the owner could not use
    // what was fetched (a full disk), and a newer image does not change that.
    void backOff(const TopicPartition &tp, int ms);
    // Closes the connection for good; nothing is sent or delivered after this.
    void stop();

    uint64_t leaderId() const { return m_leaderId; }
    QString clientId() const { return m_clientId; }

private:
    struct InFlight {
        int32_t correlationId = 0;
        std::map<TopicPartition, FetchPosition> requested;
    };

    void connectToLeader();
    void onConnected();
    void onReadyRead();
    void onTimeout();
    void handleResponse(std::string_view frame);
    void deliver(FetchResponse response, std::map<TopicPartition, FetchPosition> requested);
    void partitionDone();
    void scheduleSend();
    void sendIfReady();
    void startLogin();
    void handleLoginResponse(std::string_view frame);
    int32_t nextCorrelationId();
    void connectionProblem(const QString &why);
    void dropSocket();
    QString leaderName() const;

    const uint64_t m_selfId;
    const uint64_t m_leaderId;
    const QString m_host;
    const quint16 m_port;
    const Options m_options;
    const Hooks m_hooks;
    const QString m_clientId;

    QTcpSocket *m_socket = nullptr;
    bool m_connected = false;
    bool m_stopped = false;
    std::unique_ptr<net::FrameDecoder> m_decoder; // one per connection (its errors are sticky)
    std::optional<InFlight> m_inFlight;
    int32_t m_nextCorrelationId = 1;
    int m_pendingDones = 0;       // partitions of the last response whose done() has not run
    bool m_sendScheduled = false;
    struct Backoff {
        QDeadlineTimer until;
        bool survivesWake = false;   // backOff(): the owner's own reason
    };
    std::map<TopicPartition, Backoff> m_backingOff; // partitions left out after an error
    cluster::PeerBackoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_timeoutTimer;        // connect or answer deadline
    QTimer m_backoffTimer;        // the first partition's error backoff ends
    std::unique_ptr<SaslLogin> m_login;   // while this connection authenticates
    bool m_reauthDue = false;             // the session nears its end: log in again before the next Fetch
    QTimer m_reauthTimer;
};

} // namespace skiff::kafka
