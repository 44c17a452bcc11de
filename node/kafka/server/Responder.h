#pragma once
// A handle on one request's place in its connection's response order. Kafka clients expect
// responses in request order on a connection, yet a produce may wait for fsync while the next
// request is already answered: each request gets a slot, and the connection sends slots in order.

#include "kafka/protocol/ResponseFrame.h"

#include <QPointer>

#include <cstdint>
#include <string>

namespace skiff::kafka {

class KafkaConnection;
enum class ConnectionCloseReason;
enum class RequestVariant;

class Responder {
public:
    Responder() = default;
    Responder(KafkaConnection *connection, uint64_t slot);

    // Kafka thread only. `frame` is a whole response (size prefix included); empty sends nothing
    // (acks=0 produce) but still releases the slot. A second call is ignored.
    void respond(OutgoingFrame frame);
    // The connection reads no request after this one and closes once this answer (and any owed
    // before it) is sent; `why` goes to the log (rate-limited). Before respond().
    void closeAfter(ConnectionCloseReason reason, const std::string &why);
    // Counts this request in `variant` of its API too (acks, consumer or replica). Before respond().
    void countAs(RequestVariant variant);
    // Throttles the client (a quota, KIP-219): once this response is sent (at once when it was
    // already), the connection reads no request from it for `ms`. Any time, even after respond().
    void throttle(int64_t ms);
    // The client went away: there is nobody to answer (a long-poll fetch may stop waiting).
    bool isClosed() const { return m_connection.isNull(); }
    QString peer() const;

private:
    QPointer<KafkaConnection> m_connection;
    uint64_t m_slot = 0;
    bool m_done = false;
};

} // namespace skiff::kafka
