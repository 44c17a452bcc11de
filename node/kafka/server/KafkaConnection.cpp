#include "kafka/server/KafkaConnection.h"

#include "auth/CertificatePrincipal.h"
#include "core/RateLimitedLog.h"
#include "kafka/protocol/ApiKeys.h"
#include "kafka/server/RequestDispatcher.h"
#include "kafka/server/Responder.h"
#include "net/ServerHandshake.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace skiff::kafka {
namespace {

// Past these, stop reading the socket so TCP pushes back on the client instead of us buffering.
constexpr size_t kMaxPendingResponses = 1000;
constexpr qint64 kMaxUnsentBytes = 64 << 20;
// What Qt may buffer per connection beyond what its frame holds (read from the kernel, not yet
// by us): a connection paused by the read budget holds at most this much more.
constexpr qint64 kSocketReadBuffer = 1 << 20;

using Clock = std::chrono::steady_clock;

long long millisBetween(Clock::time_point from, Clock::time_point to)
{
    return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count());
}

} // namespace

const char *connectionCloseReasonName(ConnectionCloseReason reason)
{
    switch (reason) {
    case ConnectionCloseReason::Client: return "client";
    case ConnectionCloseReason::InvalidFrame: return "invalid_frame";
    case ConnectionCloseReason::RefusedRequest: return "refused_request";
    case ConnectionCloseReason::RequestTimeout: return "request_timeout";
    case ConnectionCloseReason::Idle: return "idle";
    case ConnectionCloseReason::Shutdown: return "shutdown";
    case ConnectionCloseReason::TlsHandshake: return "tls_handshake";
    case ConnectionCloseReason::Authentication: return "authentication";
    case ConnectionCloseReason::NoLease: return "no_lease";
    }
    return "unknown";
}

const char *requestVariantName(RequestVariant variant)
{
    switch (variant) {
    case RequestVariant::ProduceAcksAll: return "acks=all";
    case RequestVariant::ProduceAcks1: return "acks=1";
    case RequestVariant::ProduceAcks0: return "acks=0";
    case RequestVariant::FetchConsumer: return "consumer";
    case RequestVariant::FetchReplica: return "replica";
    }
    return "unknown";
}

int16_t requestVariantApiKey(RequestVariant variant)
{
    switch (variant) {
    case RequestVariant::ProduceAcksAll:
    case RequestVariant::ProduceAcks1:
    case RequestVariant::ProduceAcks0: return int16_t(ApiKey::Produce);
    case RequestVariant::FetchConsumer:
    case RequestVariant::FetchReplica: return int16_t(ApiKey::Fetch);
    }
    return -1;
}

RequestVariant produceVariant(int16_t acks)
{
    return acks == -1 ? RequestVariant::ProduceAcksAll : acks == 0 ? RequestVariant::ProduceAcks0 : RequestVariant::ProduceAcks1;
}

const char *KafkaMetrics::apiName(int slot) { return apiKeyName(int16_t(slot)); }

void KafkaMetrics::recordRequest(int apiKey, int variant, int64_t micros)
{
    const size_t s = size_t(slot(apiKey));
    ++requests[s];
    latencyMicros[s].record(micros);
    if (variant >= 0 && variant < kRequestVariants) {
        ++variantRequests[size_t(variant)];
        variantLatencyMicros[size_t(variant)].record(micros);
    }
}

KafkaConnection::KafkaConnection(QTcpSocket *socket, KafkaListenerShared &shared, QObject *parent)
    : QObject(parent), m_socket(socket), m_shared(shared),
      m_writer(socket, qobject_cast<QSslSocket *>(socket) == nullptr), m_lastActivity(Clock::now())
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBuffer);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peer = QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    m_session = ClientSession{&m_shared.listener, {std::string(auth::kAnonymousPrincipal), m_socket->peerAddress().toString().toStdString()}};
    connect(m_socket, &QTcpSocket::readyRead, this, &KafkaConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &KafkaConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, [this]() {
        finish(m_closeReason ? *m_closeReason : m_draining ? ConnectionCloseReason::Shutdown : ConnectionCloseReason::Client);
    });
    m_unmute = new QTimer(this);
    m_unmute->setSingleShot(true);
    m_unmute->setTimerType(Qt::PreciseTimer);
    connect(m_unmute, &QTimer::timeout, this, [this]() {
        // A timer may still fire a moment early: then it waits out the rest.
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(m_mutedUntil - Clock::now());
        if (left.count() > 0)
            return m_unmute->start(left);
        readRequests();
    });
    if (!m_shared.saslMechanisms.empty())
        m_sasl = std::make_unique<SaslAuthenticator>(m_shared.saslMechanisms, m_shared.credentials, m_shared.reauthMs);
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket))
        watchHandshake(tls);
}

void KafkaConnection::watchHandshake(QSslSocket *tls)
{
    m_handshakeStartedAt = Clock::now();
    // ssl.client.auth = required is VerifyPeer: Qt refuses a client without a certificate itself.
    net::watchServerHandshake(
        tls, this, false,
        [this](const QSslCertificate &client) {
            m_handshakeStartedAt.reset();
            m_lastActivity = Clock::now();
            if (client.isNull())
                return;
            m_peer += QStringLiteral(" (") + client.subjectInfo(QSslCertificate::CommonName).join(',') + QLatin1Char(')');
            // Verified (by the handshake, or by watchServerHandshake): the certificate says who the
            // client is, unless SASL on this listener does.
            const QByteArray der = client.toDer();
            if (auto principal = auth::certificatePrincipal(std::string_view(der.constData(), size_t(der.size())));
                principal && !m_sasl)
                m_session.principal.name = std::move(*principal);
        },
        [this](const std::string &why) { abort(ConnectionCloseReason::TlsHandshake, "tls handshake failed", why); });
}

KafkaConnection::~KafkaConnection() { m_shared.readBudget.frameEnded(this); }   // deleted without finish(): server teardown

bool KafkaConnection::tooBusy() const
{
    return m_slots.size() >= kMaxPendingResponses || m_writer.unsentBytes() > size_t(kMaxUnsentBytes);
}

void KafkaConnection::onReadyRead() { readRequests(); }

void KafkaConnection::onBytesWritten()
{
    m_lastActivity = Clock::now();
    m_writer.flush();   // once Qt's buffer is out, the writer sends the rest
    if (m_disconnectWhenSent && m_writer.idle()) {
        m_socket->disconnectFromHost();
        return;
    }
    if (!tooBusy() && m_socket->bytesAvailable() > 0)
        readRequests();
}

void KafkaConnection::readBudgetAvailable()
{
    // Told from inside another connection's frameEnded(): read on our own turn of the loop.
    QMetaObject::invokeMethod(this, &KafkaConnection::readRequests, Qt::QueuedConnection);
}

void KafkaConnection::readRequests()
{
    while (!m_closed && !m_draining) {
        // A client that does not read its answers gets no new request read; one already begun is
        // read to its end, so that its time is the client's, not ours.
        if (!m_frame.started() && (tooBusy() || muted()))
            return;
        if (!m_frame.hasSize() && !readSize())
            return;
        if (m_frame.bodyMissing() > 0 && !readBody())
            return;
        if (m_frame.bodyMissing() == 0)
            dispatchFrame();
    }
}

// True once the frame's size is in and acceptable; false to stop reading for now.
bool KafkaConnection::readSize()
{
    const qint64 got = m_socket->read(m_frame.sizeSpace(), qint64(m_frame.sizeMissing()));
    if (got <= 0)
        return false;
    const Clock::time_point now = Clock::now();
    m_lastActivity = now;
    m_frame.sizeReceived(size_t(got), now);
    if (!m_frame.hasSize())
        return false;
    const int32_t size = m_frame.announcedSize();
    if (size < 0) {
        abort(ConnectionCloseReason::InvalidFrame, "frame size negative",
              "frame size " + std::to_string(size) + " is negative");
        return false;
    }
    if (size > m_shared.maxRequestBytes) {
        abort(ConnectionCloseReason::InvalidFrame, "frame size too large",
              "frame of " + std::to_string(size) + " bytes exceeds socket.request.max.bytes (" +
                  std::to_string(m_shared.maxRequestBytes) + ")");
        return false;
    }
    m_shared.readBudget.frameStarted(this, size);
    return true;
}

// Reads what the socket has of the body, as far as the read budget allows. True when more may
// be read at once; false to stop for now (no bytes, or the budget will call back).
bool KafkaConnection::readBody()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return false;
    const int64_t wanted = std::min<int64_t>(available, int64_t(m_frame.bodyMissing()));
    const int64_t allowed = m_shared.readBudget.mayRead(this, wanted);
    if (allowed <= 0)
        return false;
    const qint64 got = m_socket->read(m_frame.bodySpace(size_t(allowed)), allowed);
    if (got <= 0)
        return false;
    m_frame.bodyReceived(size_t(got));
    m_shared.readBudget.received(this, got);
    m_lastActivity = Clock::now();
    return true;
}

void KafkaConnection::dispatchFrame()
{
    const std::string_view frame = m_frame.body();
    const uint64_t id = m_nextSlot++;
    const auto *p = reinterpret_cast<const unsigned char *>(frame.data());
    const int16_t apiKey = frame.size() >= 2 ? int16_t(uint16_t(p[0]) << 8 | uint16_t(p[1])) : int16_t(-1);
    m_slots.push_back(Slot{id, false, {}, apiKey, -1, Clock::now()});
    m_shared.metrics.bytesIn += RequestFrame::kSizeBytes + frame.size();
    if (m_sasl && authenticate(apiKey, frame, id)) {
        m_shared.readBudget.frameEnded(this);
        m_frame.reset();
        return;
    }
    const Status dispatched = m_shared.dispatcher.dispatch(frame, m_session, Responder(this, id));
    // The request holds no reference to the frame's bytes once dispatched.
    m_shared.readBudget.frameEnded(this);
    m_frame.reset();
    if (!dispatched.isOk())
        abort(ConnectionCloseReason::RefusedRequest, std::string("request refused: ") + statusCodeName(dispatched.code()),
              dispatched.message());
}

bool KafkaConnection::authenticate(int16_t apiKey, std::string_view frame, uint64_t slot)
{
    using Action = SaslAuthenticator::Step::Action;
    SaslAuthenticator::Step step = m_sasl->onFrame(apiKey, frame);
    if (step.outcome) {
        m_shared.metrics.saslAuthenticated(*step.outcome);
        // A re-authentication (KIP-368) keeps the user: nothing to rename.
        if (*step.outcome && m_session.principal.name == auth::kAnonymousPrincipal) {
            m_peer += QStringLiteral(" (User:%1)").arg(QString::fromStdString(m_sasl->user()));
            m_session.principal.name = "User:" + m_sasl->user();
        }
    }
    switch (step.action) {
    case Action::Dispatch:
        return false;
    case Action::Answer:
        complete(slot, std::move(step.frame));
        return true;
    case Action::AnswerAndClose:
        closeAfter(slot, ConnectionCloseReason::Authentication, "SASL authentication: " + step.why);
        complete(slot, std::move(step.frame));
        return true;
    case Action::Close:
        abort(ConnectionCloseReason::Authentication, "sasl authentication", "SASL authentication: " + step.why);
        return true;
    }
    return true;
}

void KafkaConnection::closeAfter(uint64_t slot, ConnectionCloseReason reason, const std::string &why)
{
    if (m_closed || m_draining || !pendingSlot(slot))
        return;
    const std::string line = "closing connection from " + m_peer.toStdString() + " after its answer: " + why;
    if (reason == ConnectionCloseReason::Authentication)
        m_shared.log.warning("sasl authentication", line);
    else
        m_shared.log.info(connectionCloseReasonName(reason), line);
    m_closeReason = reason;
    m_draining = true;   // read nothing more; close once the answers owed are sent
}

KafkaConnection::Slot *KafkaConnection::pendingSlot(uint64_t id)
{
    if (m_closed || m_slots.empty() || id < m_slots.front().id)
        return nullptr;   // closed, or answered and sent already
    return &m_slots[id - m_slots.front().id];
}

void KafkaConnection::complete(uint64_t slot, OutgoingFrame frame)
{
    Slot *s = pendingSlot(slot);
    if (!s)
        return;
    s->done = true;
    s->frame = std::move(frame);
    flushCompleted();
}

void KafkaConnection::throttleAfter(uint64_t slot, int64_t ms)
{
    if (m_closed || ms <= 0)
        return;
    if (Slot *s = pendingSlot(slot)) {
        // Kafka reads no other request of the connection until it answered this one; this
        // connection reads ahead, so it stops now, before the throttle even starts.
        if (s->throttleMs == 0)
            ++m_throttledPending;
        s->throttleMs = std::max(s->throttleMs, ms);
    } else
        muteFor(ms);   // its response is sent already
}

bool KafkaConnection::muted() const { return m_throttledPending > 0 || m_mutedUntil > Clock::now(); }

void KafkaConnection::muteFor(int64_t ms)
{
    const Clock::time_point until = Clock::now() + std::chrono::milliseconds(ms);
    if (until <= m_mutedUntil)
        return;
    m_mutedUntil = until;
    m_unmute->start(std::chrono::milliseconds(ms));
}

void KafkaConnection::countAs(uint64_t slot, RequestVariant variant)
{
    if (Slot *s = pendingSlot(slot))
        s->variant = int(variant);
}

void KafkaConnection::flushCompleted()
{
    const bool wasBusy = tooBusy();
    while (!m_slots.empty() && m_slots.front().done) {
        Slot &slot = m_slots.front();
        const size_t size = slot.frame.size();
        if (size > 0 && m_writer.write(std::move(slot.frame)))
            m_lastActivity = Clock::now();
        m_shared.metrics.recordRequest(
            slot.apiKey, slot.variant,
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - slot.arrived).count());
        m_shared.metrics.bytesOut += size;
        if (slot.throttleMs > 0) {
            --m_throttledPending;
            muteFor(slot.throttleMs);
        }
        m_slots.pop_front();
    }
    if (m_draining && m_slots.empty()) {
        disconnectWhenSent();
        return;
    }
    if (wasBusy && !tooBusy())
        QMetaObject::invokeMethod(this, &KafkaConnection::readRequests, Qt::QueuedConnection);
}

void KafkaConnection::closeWhenDrained()
{
    m_draining = true;
    if (m_slots.empty())
        disconnectWhenSent();
}

void KafkaConnection::disconnectWhenSent()
{
    if (m_writer.idle())
        m_socket->disconnectFromHost();
    else
        m_disconnectWhenSent = true;   // onBytesWritten closes once the writer is out
}

void KafkaConnection::abortNow()
{
    abort(ConnectionCloseReason::Shutdown, "shutdown deadline passed", "shutdown deadline passed");
}

void KafkaConnection::expireIfDue(const core::ConnectionTimeouts &timeouts, Clock::time_point now)
{
    if (m_closed || m_draining)
        return;
    const core::ConnectionActivity activity{m_frame.startedAt(), m_lastActivity, !m_slots.empty(), m_handshakeStartedAt};
    switch (core::expiryOf(timeouts, activity, now)) {
    case core::ConnectionExpiry::None:
        return;
    case core::ConnectionExpiry::HandshakeTimeout:
        abort(ConnectionCloseReason::TlsHandshake, "tls handshake timeout",
              "its TLS handshake is not done " + std::to_string(millisBetween(*m_handshakeStartedAt, now))
                  + " ms after it connected (a plaintext client on a TLS port? ssl.handshake.timeout.ms = "
                  + std::to_string(timeouts.handshake.count()) + ")");
        return;
    case core::ConnectionExpiry::RequestTimeout: {
        const std::string received =
            m_frame.hasSize() ? std::to_string(m_frame.bodyReceived()) + " of " + std::to_string(m_frame.announcedSize()) +
                                    " bytes received"
                              : "its size not even whole";
        abort(ConnectionCloseReason::RequestTimeout, "request timeout",
              "its request frame is not whole " + std::to_string(millisBetween(*activity.frameStartedAt, now)) +
                  " ms after its first byte (" + received + "; socket.request.timeout.ms = " +
                  std::to_string(timeouts.request.count()) + ")");
        return;
    }
    case core::ConnectionExpiry::Idle:
        m_shared.log.info("idle", "closing idle connection from " + m_peer.toStdString() + ": nothing received, sent or in flight for " +
                                      std::to_string(millisBetween(m_lastActivity, now)) +
                                      " ms (connections.max.idle.ms = " + std::to_string(timeouts.idle.count()) + ")");
        finish(ConnectionCloseReason::Idle);
        m_socket->disconnectFromHost();
        return;
    }
}

void KafkaConnection::abort(ConnectionCloseReason reason, const std::string &logKey, const std::string &why)
{
    if (m_closed)
        return;
    m_shared.log.warning(logKey, "closing connection from " + m_peer.toStdString() + ": " + why);
    finish(reason);
    m_writer.clear();
    m_socket->abort();
}

void KafkaConnection::finish(ConnectionCloseReason reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_shared.readBudget.frameEnded(this);
    m_shared.metrics.closed(reason);
    emit closed(this);
}

Responder::Responder(KafkaConnection *connection, uint64_t slot) : m_connection(connection), m_slot(slot) {}

void Responder::respond(OutgoingFrame frame)
{
    if (m_done)
        return;
    m_done = true;
    if (m_connection)
        m_connection->complete(m_slot, std::move(frame));
}

void Responder::closeAfter(ConnectionCloseReason reason, const std::string &why)
{
    if (m_connection && !m_done)
        m_connection->closeAfter(m_slot, reason, why);
}

void Responder::countAs(RequestVariant variant)
{
    if (m_connection && !m_done)
        m_connection->countAs(m_slot, variant);
}

void Responder::throttle(int64_t ms)
{
    if (m_connection)
        m_connection->throttleAfter(m_slot, ms);
}

QString Responder::peer() const
{
    return m_connection ? m_connection->peer() : QStringLiteral("(closed)");
}

} // namespace skiff::kafka
