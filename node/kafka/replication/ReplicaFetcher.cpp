#include "kafka/replication/ReplicaFetcher.h"

#include "kafka/protocol/ByteWriter.h"
#include "kafka/protocol/Codec.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/RequestHeader.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <utility>

namespace skiff::kafka {

namespace {

// v12: the last version that names topics (v13+ use topic ids) and the first with
// LastFetchedEpoch/DivergingEpoch, so truncation needs no separate OffsetForLeaderEpoch round.
constexpr int16_t kFetchVersion = 12;

FetchRequest buildRequest(int32_t replicaId, const ReplicaFetcher::Options &o,
                          const std::map<TopicPartition, FetchPosition> &positions)
{
    FetchRequest r;
    r.replicaId = replicaId;
    r.maxWaitMs = o.maxWaitMs;
    r.minBytes = o.minBytes;
    r.maxBytes = o.maxBytes;
    r.isolationLevel = 0;   // a follower copies everything up to the leader's log end
    r.sessionId = 0;        // no fetch session: a full request every time
    r.sessionEpoch = -1;
    for (const auto &[tp, pos] : positions) {   // the map keeps one topic's partitions together
        if (r.topics.empty() || r.topics.back().topic != tp.topic)
            r.topics.push_back({tp.topic, {}});
        r.topics.back().partitions.push_back(FetchRequest::Partition{
            tp.partition, pos.currentLeaderEpoch, pos.fetchOffset, pos.lastFetchedEpoch, pos.logStartOffset,
            o.partitionMaxBytes});
    }
    return r;
}

// The log start may move under retention while a request is in flight; the answer still fits.
bool samePosition(const FetchPosition &a, const FetchPosition &b)
{
    return a.fetchOffset == b.fetchOffset && a.lastFetchedEpoch == b.lastFetchedEpoch
        && a.currentLeaderEpoch == b.currentLeaderEpoch;
}

} // namespace

ReplicaFetcher::ReplicaFetcher(uint64_t selfId, uint64_t leaderId, QString host, quint16 port, Options options,
                               Hooks hooks, QObject *parent)
    : QObject(parent),
      m_selfId(selfId),
      m_leaderId(leaderId),
      m_host(std::move(host)),
      m_port(port),
      m_options(options),
      m_hooks(std::move(hooks)),
      m_clientId(QStringLiteral("skiff-replica-%1").arg(selfId))
{
    m_reconnectTimer.setSingleShot(true);
    m_timeoutTimer.setSingleShot(true);
    m_backoffTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ReplicaFetcher::connectToLeader);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &ReplicaFetcher::onTimeout);
    connect(&m_backoffTimer, &QTimer::timeout, this, &ReplicaFetcher::sendIfReady);
    m_reauthTimer.setSingleShot(true);
    connect(&m_reauthTimer, &QTimer::timeout, this, [this] {
        m_reauthDue = true;
        scheduleSend();   // once the Fetch in flight (if any) is answered and handled
    });
    connectToLeader();
}

ReplicaFetcher::~ReplicaFetcher()
{
    dropSocket();
}

QString ReplicaFetcher::leaderName() const
{
    return QStringLiteral("leader broker %1 at %2:%3").arg(m_leaderId).arg(m_host).arg(m_port);
}

void ReplicaFetcher::wake()
{
    if (m_stopped)
        return;
    std::erase_if(m_backingOff, [](const auto &entry) { return !entry.second.survivesWake; });
    m_backoffTimer.stop();
    scheduleSend();
}

void ReplicaFetcher::backOff(const TopicPartition &tp, int ms)
{
    if (m_stopped)
        return;
    m_backingOff[tp] = Backoff{QDeadlineTimer(ms), true};
    // sendIfReady arms the timer for its end when nothing else is fetched meanwhile.
    scheduleSend();
}

void ReplicaFetcher::stop()
{
    m_stopped = true;
    m_reconnectTimer.stop();
    m_timeoutTimer.stop();
    m_backoffTimer.stop();
    m_reauthTimer.stop();
    dropSocket();
    m_inFlight.reset();
}

void ReplicaFetcher::connectToLeader()
{
    if (m_stopped)
        return;
    dropSocket();
    m_decoder = std::make_unique<net::FrameDecoder>("Fetch response", m_options.maxResponseFrameBytes,
                                                    "not a Kafka broker, or a corrupt stream");
    QSslSocket *tls = m_hooks.tls ? new QSslSocket(this) : nullptr;
    m_socket = tls ? tls : new QTcpSocket(this);
    if (tls) {
        tls->setSslConfiguration(m_hooks.tls());
        // Connected means encrypted: nothing is sent before the leader's certificate is checked.
        connect(tls, &QSslSocket::encrypted, this, &ReplicaFetcher::onConnected);
        connect(tls, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList why;
            for (const QSslError &e : errors)
                why << e.errorString();
            connectionProblem(QStringLiteral("TLS: the leader's certificate is refused: %1").arg(why.join(QStringLiteral("; "))));
        });
    } else {
        connect(m_socket, &QTcpSocket::connected, this, &ReplicaFetcher::onConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &ReplicaFetcher::onReadyRead);
    // A leader that refuses our login answers why, then closes: read the answer first, so the
    // line says why rather than only that it closed.
    auto readWhatIsLeft = [this] {
        if (m_socket && m_socket->bytesAvailable() > 0)
            onReadyRead();
        return m_socket != nullptr;
    };
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this, readWhatIsLeft](QAbstractSocket::SocketError error) {
        if (!readWhatIsLeft())
            return;
        connectionProblem(error == QAbstractSocket::RemoteHostClosedError ? QStringLiteral("connection closed by the leader")
                                                                          : m_socket->errorString());
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this, readWhatIsLeft]() {
        if (readWhatIsLeft())
            connectionProblem(QStringLiteral("connection closed by the leader"));
    });
    m_timeoutTimer.start(m_options.socketTimeoutMs);
    if (tls)
        tls->connectToHostEncrypted(m_host, m_port);
    else
        m_socket->connectToHost(m_host, m_port);
}

void ReplicaFetcher::onConnected()
{
    m_timeoutTimer.stop();
    m_connected = true;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_hooks.sasl)
        return startLogin();
    scheduleSend();
}

int32_t ReplicaFetcher::nextCorrelationId()
{
    const int32_t id = m_nextCorrelationId;
    m_nextCorrelationId = m_nextCorrelationId == INT32_MAX ? 1 : m_nextCorrelationId + 1;
    return id;
}

void ReplicaFetcher::startLogin()
{
    m_reauthDue = false;
    m_reauthTimer.stop();
    m_login = std::make_unique<SaslLogin>(*m_hooks.sasl, m_clientId.toStdString(), [this] { return nextCorrelationId(); });
    const std::string frame = m_login->start();
    if (m_socket->write(frame.data(), qint64(frame.size())) != qint64(frame.size()))
        return connectionProblem(QStringLiteral("could not queue a SaslHandshake request: %1").arg(m_socket->errorString()));
    m_timeoutTimer.start(m_options.socketTimeoutMs);
}

void ReplicaFetcher::handleLoginResponse(std::string_view frame)
{
    Result<SaslLogin::Step> step = m_login->onResponse(frame);
    if (!step.isOk())
        return connectionProblem(QStringLiteral("SASL %1 authentication as user %2 failed: %3")
                                     .arg(QString::fromStdString(m_login->mechanism()), QString::fromStdString(m_login->user()),
                                          QString::fromStdString(step.status().message())));
    if (step->frame) {
        if (m_socket->write(step->frame->data(), qint64(step->frame->size())) != qint64(step->frame->size()))
            return connectionProblem(QStringLiteral("could not queue a SaslAuthenticate request: %1").arg(m_socket->errorString()));
        m_timeoutTimer.start(m_options.socketTimeoutMs);
        return;
    }
    m_timeoutTimer.stop();
    m_login.reset();
    if (step->sessionLifetimeMs > 0) {
        // As Kafka's clients (KIP-368): at a random 85-95% of the lifetime, so that the followers
        // of one leader do not all log in again at once.
        const double share = 0.85 + 0.10 * QRandomGenerator::global()->generateDouble();
        m_reauthTimer.start(int(std::min<int64_t>(INT32_MAX, int64_t(double(step->sessionLifetimeMs) * share))));
    }
    scheduleSend();
}

void ReplicaFetcher::onTimeout()
{
    if (!m_connected)
        connectionProblem(QStringLiteral("no connection after %1 ms").arg(m_options.socketTimeoutMs));
    else if (m_login)
        connectionProblem(QStringLiteral("no answer to SASL authentication within %1 ms").arg(m_options.socketTimeoutMs));
    else
        connectionProblem(QStringLiteral("no answer to a Fetch within %1 ms (max wait %2 ms + socket timeout %3 ms)")
                              .arg(m_options.maxWaitMs + m_options.socketTimeoutMs)
                              .arg(m_options.maxWaitMs)
                              .arg(m_options.socketTimeoutMs));
}

void ReplicaFetcher::onReadyRead()
{
    m_decoder->feed(m_socket->readAll());
    // Frames are handled one by one; each may end the connection (a problem, stop()).
    for (QTcpSocket *socket = m_socket; socket && socket == m_socket;) {
        Result<std::optional<std::string_view>> next = m_decoder->next();
        if (!next.isOk())
            return connectionProblem(QString::fromStdString(next.status().message()));
        if (!next->has_value())
            return;
        handleResponse(**next);
    }
}

void ReplicaFetcher::handleResponse(std::string_view frame)
{
    if (m_login)
        return handleLoginResponse(frame);
    if (!m_inFlight)
        return connectionProblem(QStringLiteral("a response arrived while no request was in flight"));
    Result<ParsedResponseHeader> header =
        decodeResponseHeader(frame, responseHeaderVersion(ApiKey::Fetch, kFetchVersion));
    if (!header.isOk())
        return connectionProblem(QString::fromStdString(header.status().message()));
    if (header->correlationId != m_inFlight->correlationId)
        return connectionProblem(QStringLiteral("response with correlation id %1 to the request with correlation id %2")
                                     .arg(header->correlationId)
                                     .arg(m_inFlight->correlationId));
    Result<FetchResponse> response =
        decodeMessage<FetchResponse>(frame.substr(header->bodyOffset), kFetchVersion, header->bodyOffset);
    if (!response.isOk())
        return connectionProblem(QString::fromStdString(response.status().message()));
    m_timeoutTimer.stop();
    m_backoff.reset();   // the leader answers: the next failure starts the backoff afresh
    std::map<TopicPartition, FetchPosition> requested = std::move(m_inFlight->requested);
    m_inFlight.reset();
    deliver(std::move(response).value(), std::move(requested));
}

void ReplicaFetcher::deliver(FetchResponse response, std::map<TopicPartition, FetchPosition> requested)
{
    // A top-level error has no partitions: every partition asked for gets it (as Kafka's
    // fetcher treats it).
    if (response.errorCode != 0) {
        response.responses.clear();
        for (const auto &[tp, pos] : requested) {
            if (response.responses.empty() || response.responses.back().topic != tp.topic)
                response.responses.push_back({tp.topic, {}});
            FetchResponse::Partition p;
            p.partitionIndex = tp.partition;
            p.errorCode = response.errorCode;
            response.responses.back().partitions.push_back(std::move(p));
        }
    }
    // Positions may have moved while the request was in flight (truncation, a new leader epoch,
    // the partition left this leader): an answer to the old position must not be appended.
    const std::map<TopicPartition, FetchPosition> now = m_hooks.positions();
    std::vector<std::pair<TopicPartition, const FetchResponse::Partition *>> current;
    for (const FetchResponse::Topic &topic : response.responses) {
        for (const FetchResponse::Partition &p : topic.partitions) {
            TopicPartition tp{topic.topic, p.partitionIndex};
            const auto asked = requested.find(tp);
            const auto still = now.find(tp);
            if (asked == requested.end() || still == now.end() || !samePosition(asked->second, still->second))
                continue;
            if (p.errorCode != 0)
                m_backingOff[tp] = Backoff{QDeadlineTimer(m_options.errorBackoffMs), false};
            current.emplace_back(std::move(tp), &p);
        }
    }
    // Counted before the first call: a done() run inside onPartition must not see zero early.
    m_pendingDones = int(current.size());
    if (current.empty())
        return scheduleSend();
    QPointer<ReplicaFetcher> self(this);
    for (const auto &[tp, partition] : current) {
        auto once = std::make_shared<bool>(false);
        m_hooks.onPartition(tp, *partition, [self, once]() {
            if (*once || !self)
                return;
            *once = true;
            self->partitionDone();
        });
        if (!self || m_stopped)
            return;
    }
}

void ReplicaFetcher::partitionDone()
{
    if (m_stopped || m_pendingDones == 0)
        return;
    if (--m_pendingDones == 0)
        scheduleSend();
}

void ReplicaFetcher::scheduleSend()
{
    if (m_sendScheduled || m_stopped)
        return;
    m_sendScheduled = true;
    // Queued, never from inside the owner's callbacks.
    QMetaObject::invokeMethod(
        this,
        [this]() {
            m_sendScheduled = false;
            sendIfReady();
        },
        Qt::QueuedConnection);
}

void ReplicaFetcher::sendIfReady()
{
    if (m_stopped || !m_connected || m_login || m_inFlight || m_pendingDones > 0)
        return;
    if (m_reauthDue)
        return startLogin();   // the connection is quiet: nothing is in flight
    std::map<TopicPartition, FetchPosition> positions = m_hooks.positions();
    std::optional<QDeadlineTimer> firstBackoffEnd;
    for (auto it = m_backingOff.begin(); it != m_backingOff.end();) {
        const QDeadlineTimer &until = it->second.until;
        if (until.hasExpired() || !positions.contains(it->first)) {
            it = m_backingOff.erase(it);
            continue;
        }
        positions.erase(it->first);
        if (!firstBackoffEnd || until < *firstBackoffEnd)
            firstBackoffEnd = until;
        ++it;
    }
    if (positions.empty()) {
        if (firstBackoffEnd)
            m_backoffTimer.start(int(std::max<qint64>(0, firstBackoffEnd->remainingTime())));
        return;
    }
    m_backoffTimer.stop();

    const int32_t correlationId = nextCorrelationId();
    const RequestHeader header{int16_t(ApiKey::Fetch), kFetchVersion, correlationId, m_clientId.toStdString()};
    std::string frame(4, '\0');
    encodeRequestHeader(frame, header);
    encodeMessage(frame, buildRequest(int32_t(m_selfId), m_options, positions), kFetchVersion);
    ByteWriter(frame).patchInt32(0, int32_t(frame.size() - 4));
    if (m_socket->write(frame.data(), qint64(frame.size())) != qint64(frame.size()))
        return connectionProblem(QStringLiteral("could not queue a Fetch request: %1").arg(m_socket->errorString()));
    m_inFlight = InFlight{correlationId, std::move(positions)};
    m_timeoutTimer.start(m_options.maxWaitMs + m_options.socketTimeoutMs);
}

void ReplicaFetcher::connectionProblem(const QString &why)
{
    if (m_stopped || !m_socket)
        return;
    dropSocket();
    m_inFlight.reset();
    m_timeoutTimer.stop();
    m_reconnectTimer.start(m_backoff.nextDelay());
    // Last: the owner may stop() us from inside.
    if (m_hooks.onConnectionProblem)
        m_hooks.onConnectionProblem(QStringLiteral("fetch from %1: %2").arg(leaderName(), why));
}

void ReplicaFetcher::dropSocket()
{
    m_connected = false;
    m_login.reset();
    m_reauthDue = false;
    m_reauthTimer.stop();
    if (!m_socket)
        return;
    // Quietly: the abort's own signals must not report a problem for a socket we gave up.
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

} // namespace skiff::kafka
