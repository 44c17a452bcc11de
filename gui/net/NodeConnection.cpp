#include "net/NodeConnection.h"

#include "net/AdminAddress.h"

#include <QDateTime>
#include <QTcpSocket>

namespace skiff::gui {
namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace

NodeConnection::NodeConnection(QString address, Options options, QObject *parent)
    : QObject(parent), m_address(std::move(address)), m_options(std::move(options)),
      m_backoffMs(m_options.initialBackoffMs), m_retryTimer(this), m_watchdog(this)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &NodeConnection::openSocket);
    m_watchdog.setInterval(250);
    connect(&m_watchdog, &QTimer::timeout, this, &NodeConnection::onWatchdog);
}

NodeConnection::~NodeConnection()
{
    // Dropped without calling: at destruction the objects the callbacks capture (the client, the
    // window) are being torn down themselves.
    m_pending.clear();
}

QString NodeConnection::stateName(State state)
{
    switch (state) {
    case State::Idle: return QStringLiteral("idle");
    case State::Connecting: return QStringLiteral("connecting");
    case State::Streaming: return QStringLiteral("connected");
    case State::Backoff: return QStringLiteral("unreachable");
    }
    return QStringLiteral("?");
}

void NodeConnection::start()
{
    if (m_state != State::Idle)
        return;
    m_watchdog.start();
    openSocket();
}

void NodeConnection::stop()
{
    m_retryTimer.stop();
    m_watchdog.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    failPending(QStringLiteral("connection to %1 stopped").arg(m_address));
    setState(State::Idle, QString());
}

void NodeConnection::openSocket()
{
    QString host;
    quint16 port = 0;
    if (!splitAdminAddress(m_address, host, port)) {
        // Not retried: a typo does not fix itself.
        m_lastError = QStringLiteral("not host:port");
        ++m_failures;
        setState(State::Backoff, m_lastError);
        return;
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_decoder.emplace(admin::kMaxResponseFrameBytes);
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, &NodeConnection::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &NodeConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &NodeConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this]() { fail(QStringLiteral("the node closed the connection")); });
    m_connectStartedMs = nowMs();
    setState(State::Connecting, QString());
    m_socket->connectToHost(host, port);
}

void NodeConnection::onConnected()
{
    m_lastFrameMs = nowMs();
    admin::Request request;
    request.mutable_subscribe()->set_rate_hz(m_options.rateHz);
    request.mutable_subscribe()->set_with_history(true);
    m_historySeen = false;
    m_subscribeId = sendRequest(request);
    // Streaming is declared on the first snapshot, not here: a port that accepts but does not
    // speak the protocol must not look healthy.
}

void NodeConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_decoder->feed(m_socket->readAll());
    for (;;) {
        admin::Response response;
        auto parsed = m_decoder->next(response);
        if (!parsed.isOk()) {
            fail(QString::fromStdString(parsed.status().message()));
            return;
        }
        if (!parsed.value())
            return;
        m_lastFrameMs = nowMs();
        handleResponse(response);
        if (!m_socket)
            return;   // a callback or the handler closed us
    }
}

void NodeConnection::handleResponse(admin::Response &response)
{
    if (response.request_id() == m_subscribeId && m_subscribeId != 0) {
        if (response.error_code() != admin::ERROR_CODE_NONE) {
            fail(QStringLiteral("the node refused the subscription: %1").arg(QString::fromStdString(response.error_message())));
            return;
        }
        if (response.has_history()) {
            m_historySeen = true;
            emit historyReceived(response.history());
        } else if (response.has_status()) {
            if (m_state != State::Streaming && !m_historySeen) {
                m_historySeen = true;   // said once per subscription
                emit historyUnavailable();
            }
            if (m_state != State::Streaming) {
                m_failures = 0;
                m_backoffMs = m_options.initialBackoffMs;
                m_lastError.clear();
                setState(State::Streaming, QString());
            }
            emit statusReceived(response.status());
        } else if (response.has_event()) {
            emit eventReceived(response.event());
        }
        return;
    }
    auto it = m_pending.find(response.request_id());
    if (it == m_pending.end())
        return;   // timed out already; the late answer has no one waiting
    Callback done = std::move(it->second.done);
    m_pending.erase(it);
    done(std::move(response));
}

void NodeConnection::onSocketError()
{
    if (m_socket)
        fail(m_socket->errorString());
}

void NodeConnection::onWatchdog()
{
    const qint64 now = nowMs();
    if (m_state == State::Connecting && m_socket && now - m_connectStartedMs > m_options.connectTimeoutMs) {
        // Either TCP is still connecting or it connected and no snapshot came.
        fail(m_socket->state() == QAbstractSocket::ConnectedState
                 ? QStringLiteral("accepted the connection but sent no status within %1 ms (not a skiff admin socket?)")
                       .arg(m_options.connectTimeoutMs)
                 : QStringLiteral("no answer to connect within %1 ms").arg(m_options.connectTimeoutMs));
        return;
    }
    if (m_state == State::Streaming && now - m_lastFrameMs > m_options.silenceTimeoutMs) {
        fail(QStringLiteral("sent nothing for %1 ms").arg(now - m_lastFrameMs));
        return;
    }
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->second.deadlineMs <= now) {
            Callback done = std::move(it->second.done);
            it = m_pending.erase(it);
            done(unavailable(QStringLiteral("%1 did not answer in time").arg(m_address).toStdString()));
        } else {
            ++it;
        }
    }
}

void NodeConnection::fail(const QString &reason)
{
    if (m_state == State::Idle || m_state == State::Backoff)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_subscribeId = 0;
    m_lastError = reason;
    ++m_failures;
    failPending(QStringLiteral("%1: %2").arg(m_address, reason));   // callers hear whom it is about
    setState(State::Backoff, reason);
    m_retryTimer.start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, m_options.maxBackoffMs);
}

void NodeConnection::failPending(const QString &reason)
{
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto &[id, p] : pending)
        p.done(unavailable(reason.toStdString()));
}

void NodeConnection::setState(State state, const QString &reason)
{
    if (m_state == state && reason.isEmpty())
        return;
    m_state = state;
    emit stateChanged(state, reason);
}

uint64_t NodeConnection::sendRequest(admin::Request &request)
{
    const uint64_t id = m_nextRequestId++;
    request.set_protocol_version(admin::kProtocolVersion);
    request.set_request_id(id);
    if (!m_options.token.isEmpty())
        request.set_token(m_options.token.toStdString());
    m_socket->write(admin::encodeAdminFrame(request));
    return id;
}

void NodeConnection::call(admin::Request request, Callback done, int timeoutMs)
{
    if (m_state != State::Streaming || !m_socket) {
        done(unavailable(QStringLiteral("%1 is not connected%2")
                             .arg(m_address, m_lastError.isEmpty() ? QString() : QStringLiteral(": ") + m_lastError)
                             .toStdString()));
        return;
    }
    const uint64_t id = sendRequest(request);
    m_pending[id] = Pending{std::move(done), nowMs() + (timeoutMs < 0 ? m_options.requestTimeoutMs : timeoutMs)};
}

} // namespace skiff::gui
