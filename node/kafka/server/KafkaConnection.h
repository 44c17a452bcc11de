#pragma once

#include <QObject>

#include <cstdint>
#include <chrono>
#include <deque>
#include <string>

class QTcpSocket;

namespace skiff::kafka {

struct KafkaMetrics;

class RequestDispatcher;

// One client connection: splits the byte stream into frames, hands each to the dispatcher and
// sends the responses in request order. Bad framing closes this connection only, logged once.
class KafkaConnection : public QObject {
    Q_OBJECT
public:
    KafkaConnection(QTcpSocket *socket, RequestDispatcher &dispatcher, int64_t maxRequestBytes, KafkaMetrics &metrics,
                    QObject *parent);
    ~KafkaConnection() override;

    QString peer() const { return m_peer; }
    // Called through Responder, on this thread.
    void complete(uint64_t slot, std::string frame);
    // Stop reading; close once every pending response is sent (shutdown).
    void closeWhenDrained();
    // Close at once, unanswered requests and all (shutdown deadline passed).
    void abortNow() { abort(QStringLiteral("shutdown deadline passed")); }

signals:
    void closed(skiff::kafka::KafkaConnection *connection);

private:
    void onReadyRead();
    void onBytesWritten();
    void processFrames();
    void flushCompleted();
    void abort(const QString &reason);
    bool tooBusy() const;

    struct Slot {
        uint64_t id = 0;
        bool done = false;
        std::string frame;
        int16_t apiKey = -1;
        std::chrono::steady_clock::time_point arrived;
    };

    QTcpSocket *m_socket;
    RequestDispatcher &m_dispatcher;
    const int64_t m_maxRequestBytes;
    KafkaMetrics &m_metrics;
    QString m_peer;
    std::string m_buffer;      // bytes received and not yet consumed
    size_t m_consumed = 0;     // start of the unconsumed part of m_buffer
    std::deque<Slot> m_slots;  // requests awaiting their turn to be answered, oldest first
    uint64_t m_nextSlot = 1;
    bool m_draining = false;
    bool m_closed = false;
};

} // namespace skiff::kafka
