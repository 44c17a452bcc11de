#include "kafka/server/SocketWriter.h"

#include <QTcpSocket>

#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>

namespace skiff::kafka {
namespace {

// Pieces per sendmsg: a fetch response of many partitions is a few pieces per partition.
constexpr size_t kMaxIovecs = 64;

} // namespace

SocketWriter::SocketWriter(QTcpSocket *socket, bool direct) : m_socket(socket), m_direct(direct) {}

void SocketWriter::push(std::string bytes)
{
    if (bytes.empty())
        return;
    m_queued += bytes.size();
    m_pieces.push_back(Piece{std::move(bytes), 0});
}

bool SocketWriter::write(OutgoingFrame frame)
{
    // The head's bytes between splices are copied out (they are small); a frame without splices
    // is moved whole.
    if (frame.splices.empty()) {
        push(std::move(frame.head));
    } else {
        size_t from = 0;
        for (SplicedBytes &s : frame.splices) {
            push(frame.head.substr(from, s.at - from));
            push(std::move(s.bytes));
            from = s.at;
        }
        push(frame.head.substr(from));
    }
    return flush();
}

void SocketWriter::consume(size_t n)
{
    m_queued -= n;
    while (n > 0) {
        Piece &p = m_pieces.front();
        const size_t take = std::min(n, p.bytes.size() - p.sent);
        p.sent += take;
        n -= take;
        if (p.sent == p.bytes.size())
            m_pieces.pop_front();
    }
}

void SocketWriter::handOff(bool all)
{
    size_t budget = all ? m_queued : kHandOffBytes;
    while (budget > 0 && !m_pieces.empty()) {
        Piece &p = m_pieces.front();
        const size_t n = std::min(budget, p.bytes.size() - p.sent);
        m_socket->write(p.bytes.data() + p.sent, qint64(n));   // copied (or refused: the socket is closing)
        budget -= n;
        consume(n);
    }
}

bool SocketWriter::flush()
{
    if (m_pieces.empty())
        return false;
    if (!m_direct || m_socket->state() != QAbstractSocket::ConnectedState) {
        handOff(true);
        return true;
    }
    const int fd = int(m_socket->socketDescriptor());
    bool sentAny = false;
    while (!m_pieces.empty() && m_socket->bytesToWrite() == 0) {
        iovec iov[kMaxIovecs];
        size_t count = 0;
        size_t offered = 0;
        for (const Piece &p : m_pieces) {
            if (count == kMaxIovecs)
                break;
            iov[count].iov_base = const_cast<char *>(p.bytes.data() + p.sent);
            iov[count].iov_len = p.bytes.size() - p.sent;
            offered += iov[count].iov_len;
            ++count;
        }
        msghdr message{};
        message.msg_iov = iov;
        message.msg_iovlen = count;
        const ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            // Full: Qt gets a piece and says when the socket takes more. Failed: Qt gets it
            // all and finds the error itself when it writes (the connection then closes).
            handOff(errno != EAGAIN && errno != EWOULDBLOCK);
            return true;
        }
        sentAny = sentAny || sent > 0;
        consume(size_t(sent));
        if (size_t(sent) < offered) {
            handOff(false);
            return true;
        }
    }
    return sentAny;
}

size_t SocketWriter::unsentBytes() const { return m_queued + size_t(std::max<qint64>(m_socket->bytesToWrite(), 0)); }

void SocketWriter::clear()
{
    m_pieces.clear();
    m_queued = 0;
}

} // namespace skiff::kafka
