#include "kafka/server/KafkaConnection.h"

#include "kafka/server/KafkaMetrics.h"

#include "kafka/server/RequestDispatcher.h"
#include "kafka/server/Responder.h"

#include <QLoggingCategory>
#include <QTcpSocket>

Q_DECLARE_LOGGING_CATEGORY(lcKafka)

namespace skiff::kafka {
namespace {

// Past these, stop reading the socket so TCP pushes back on the client instead of us buffering.
constexpr size_t kMaxPendingResponses = 1000;
constexpr qint64 kMaxUnsentBytes = 64 << 20;
constexpr qint64 kSocketReadBuffer = 8 << 20;

} // namespace

KafkaConnection::KafkaConnection(QTcpSocket *socket, RequestDispatcher &dispatcher, int64_t maxRequestBytes,
                                 KafkaMetrics &metrics, QObject *parent)
    : QObject(parent), m_socket(socket), m_dispatcher(dispatcher), m_maxRequestBytes(maxRequestBytes), m_metrics(metrics)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBuffer);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peer = QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    connect(m_socket, &QTcpSocket::readyRead, this, &KafkaConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &KafkaConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, [this]() {
        if (!m_closed) {
            m_closed = true;
            emit closed(this);
        }
    });
}

KafkaConnection::~KafkaConnection() = default;

bool KafkaConnection::tooBusy() const
{
    return m_slots.size() >= kMaxPendingResponses || m_socket->bytesToWrite() > kMaxUnsentBytes;
}

void KafkaConnection::onReadyRead()
{
    if (m_closed || m_draining || tooBusy())
        return;   // resumed from onBytesWritten / complete
    const QByteArray data = m_socket->readAll();
    m_buffer.append(data.constData(), size_t(data.size()));
    processFrames();
}

void KafkaConnection::onBytesWritten()
{
    if (!tooBusy() && m_socket->bytesAvailable() > 0)
        onReadyRead();
    else if (!tooBusy())
        processFrames();
}

void KafkaConnection::processFrames()
{
    while (!m_closed && !m_draining && !tooBusy()) {
        const size_t available = m_buffer.size() - m_consumed;
        if (available < 4)
            break;
        const auto *p = reinterpret_cast<const unsigned char *>(m_buffer.data() + m_consumed);
        const int32_t size = int32_t(uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]));
        if (size < 0) {
            abort(QStringLiteral("frame size %1 is negative").arg(size));
            return;
        }
        if (size > m_maxRequestBytes) {
            abort(QStringLiteral("frame of %1 bytes exceeds socket.request.max.bytes (%2)").arg(size).arg(m_maxRequestBytes));
            return;
        }
        if (available < 4 + size_t(size))
            break;
        const std::string_view frame(m_buffer.data() + m_consumed + 4, size_t(size));
        m_consumed += 4 + size_t(size);
        const uint64_t id = m_nextSlot++;
        const int16_t apiKey = size >= 2 ? int16_t(uint16_t(p[4]) << 8 | uint16_t(p[5])) : int16_t(-1);
        m_slots.push_back(Slot{id, false, {}, apiKey, std::chrono::steady_clock::now()});
        m_metrics.bytesIn += 4 + uint64_t(size);
        if (!m_dispatcher.dispatch(frame, Responder(this, id))) {
            abort(QStringLiteral("undecodable request header"));
            return;
        }
    }
    if (m_consumed == m_buffer.size()) {
        m_buffer.clear();
        m_consumed = 0;
    } else if (m_consumed > (1 << 20)) {
        m_buffer.erase(0, m_consumed);
        m_consumed = 0;
    }
}

void KafkaConnection::complete(uint64_t slot, std::string frame)
{
    if (m_closed || m_slots.empty() || slot < m_slots.front().id)
        return;
    Slot &s = m_slots[slot - m_slots.front().id];
    s.done = true;
    s.frame = std::move(frame);
    flushCompleted();
}

void KafkaConnection::flushCompleted()
{
    const bool wasBusy = tooBusy();
    while (!m_slots.empty() && m_slots.front().done) {
        const Slot &slot = m_slots.front();
        const std::string &frame = slot.frame;
        if (!frame.empty())
            m_socket->write(frame.data(), qint64(frame.size()));
        const int api = KafkaMetrics::slot(slot.apiKey);
        ++m_metrics.requests[size_t(api)];
        m_metrics.latencyMicros[size_t(api)].record(std::chrono::duration_cast<std::chrono::microseconds>(
                                                        std::chrono::steady_clock::now() - slot.arrived).count());
        m_metrics.bytesOut += frame.size();
        m_slots.pop_front();
    }
    if (m_draining && m_slots.empty()) {
        m_socket->disconnectFromHost();
        return;
    }
    if (wasBusy && !tooBusy())
        QMetaObject::invokeMethod(this, &KafkaConnection::onReadyRead, Qt::QueuedConnection);
}

void KafkaConnection::closeWhenDrained()
{
    m_draining = true;
    if (m_slots.empty())
        m_socket->disconnectFromHost();
}

void KafkaConnection::abort(const QString &reason)
{
    qCWarning(lcKafka, "closing connection from %s: %s", qPrintable(m_peer), qPrintable(reason));
    m_closed = true;
    m_socket->abort();
    emit closed(this);
}

Responder::Responder(KafkaConnection *connection, uint64_t slot) : m_connection(connection), m_slot(slot) {}

void Responder::respond(std::string frame)
{
    if (m_done)
        return;
    m_done = true;
    if (m_connection)
        m_connection->complete(m_slot, std::move(frame));
}

QString Responder::peer() const
{
    return m_connection ? m_connection->peer() : QStringLiteral("(closed)");
}

} // namespace skiff::kafka
