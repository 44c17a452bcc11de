#include "net/NodeConnection.h"

#include "net/AdminAddress.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>

namespace skiff::gui {
namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// A TLS record (alert or handshake, any TLS version) where a frame's length should be: an admin
// frame's first byte is 0 (frames are at most a few MiB), a TLS record's is 0x15 or 0x16.
bool looksLikeTls(const QByteArray &bytes)
{
    return bytes.size() >= 2 && (bytes[0] == 0x15 || bytes[0] == 0x16) && bytes[1] == 0x03;
}

const QString kTurnOnTls = QStringLiteral("the node's admin socket speaks TLS; turn on TLS in the profile (or give --ca)");

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
    m_tcpConnected = m_encrypted = m_answered = false;
    m_connectStartedMs = nowMs();
    setState(State::Connecting, QString());
    if (!m_options.tls.enabled) {
        m_socket = new QTcpSocket(this);
        connectSocketSignals();
        m_socket->connectToHost(host, port);
        return;
    }
    // Read at each attempt: a renewed certificate is taken without restarting the dashboard.
    auto config = adminSslConfiguration(m_options.tls);
    if (!config.isOk()) {
        m_socket = nullptr;
        fail(QString::fromStdString(config.status().message()));
        return;
    }
    auto *ssl = new QSslSocket(this);
    m_socket = ssl;
    ssl->setSslConfiguration(*config);
    connectSocketSignals();
    connect(ssl, &QSslSocket::encrypted, this, &NodeConnection::onEncrypted);
    connect(ssl, &QSslSocket::sslErrors, this,
            [this, host](const QList<QSslError> &errors) { fail(describeVerifyErrors(errors, m_options.tls, host)); });
    // The node's certificate is checked against the host of the admin address (the peer verify
    // name connectToHostEncrypted sets).
    ssl->connectToHostEncrypted(host, port);
}

void NodeConnection::connectSocketSignals()
{
    connect(m_socket, &QTcpSocket::connected, this, &NodeConnection::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &NodeConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &NodeConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, [this]() { fail(explainEnd(QString())); });
}

void NodeConnection::onConnected()
{
    m_tcpConnected = true;
    if (!m_options.tls.enabled)
        subscribe();
}

void NodeConnection::onEncrypted()
{
    m_encrypted = true;
    subscribe();
}

void NodeConnection::subscribe()
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
    const QByteArray bytes = m_socket->readAll();
    if (!m_answered && !m_options.tls.enabled && looksLikeTls(bytes)) {
        fail(kTurnOnTls);
        return;
    }
    m_decoder->feed(bytes);
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
        m_answered = true;
        handleResponse(response);
        if (!m_socket)
            return;   // a callback or the handler closed us
    }
}

void NodeConnection::handleResponse(admin::Response &response)
{
    // Request id 0 answers no request: the node refuses the whole connection (a client
    // certificate it wants, TLS it speaks) and closes it; its words say what to change.
    if (response.request_id() == 0 && response.error_code() != admin::ERROR_CODE_NONE) {
        fail(QString::fromStdString(response.error_message()));
        return;
    }
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
    if (!m_socket)
        return;
    fail(explainEnd(m_socket->error() == QAbstractSocket::RemoteHostClosedError ? QString() : m_socket->errorString()));
}

QString NodeConnection::explainEnd(const QString &error) const
{
    const bool closed = error.isEmpty();
    if (!m_options.tls.enabled) {
        // A TLS node closes a plaintext connection without a word (our frame is no TLS record).
        if (closed && m_tcpConnected && !m_answered)
            return QStringLiteral("the node closed the connection without answering (if its admin socket speaks TLS, "
                                  "admin.ssl.enable, turn on TLS in the profile)");
        return closed ? QStringLiteral("the node closed the connection") : error;
    }
    if (!m_tcpConnected)
        return closed ? QStringLiteral("the node closed the connection") : error;
    if (!m_encrypted) {
        // A plaintext admin socket takes the ClientHello for an oversized frame and closes.
        if (closed)
            return QStringLiteral("the node closed the connection during the TLS handshake (is TLS on at its admin "
                                  "socket, admin.ssl.enable? if not, turn TLS off in the profile)");
        return QStringLiteral("TLS handshake failed: %1%2").arg(error, clientCertificateHint());
    }
    if (!m_answered) {
        // TLS 1.3 finishes the client's handshake before the node checks the client's certificate:
        // its refusal comes as an alert (or a close) in place of the first answer.
        return QStringLiteral("the node ended the TLS session before answering: %1%2")
            .arg(closed ? QStringLiteral("it closed the connection") : error, clientCertificateHint());
    }
    return closed ? QStringLiteral("the node closed the connection") : error;
}

QString NodeConnection::clientCertificateHint() const
{
    return m_options.tls.certFile.isEmpty()
               ? QStringLiteral(" (does the node require a client certificate? give --cert and --key, or the profile's)")
               : QStringLiteral(" (is the client certificate signed by the CA of the node's ssl.ca.location?)");
}

void NodeConnection::onWatchdog()
{
    const qint64 now = nowMs();
    if (m_state == State::Connecting && m_socket && now - m_connectStartedMs > m_options.connectTimeoutMs) {
        // Either TCP is still connecting or it connected and no snapshot came.
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            fail(QStringLiteral("no answer to connect within %1 ms").arg(m_options.connectTimeoutMs));
        else if (m_options.tls.enabled && !m_encrypted)
            fail(QStringLiteral("no TLS handshake within %1 ms (is TLS on at the node's admin socket, admin.ssl.enable?)")
                     .arg(m_options.connectTimeoutMs));
        else
            fail(QStringLiteral("accepted the connection but sent no status within %1 ms (not a skiff admin socket?)")
                     .arg(m_options.connectTimeoutMs));
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
