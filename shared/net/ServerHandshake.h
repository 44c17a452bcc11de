#pragma once
// The server side of one accepted TLS connection's handshake, judged alike by every TLS server of
// the node (Kafka SSL listeners, the admin socket): a client certificate sent under QueryPeer
// (client auth "requested") is checked against the CAs, which Qt leaves undone, and a failed
// handshake (a plaintext client, no or a refused client certificate, no common protocol or
// cipher) becomes one reason naming what went wrong. A handshake never done is the owner's to time
// out (core::ConnectionTimeouts): the owner sweeps its connections anyway.

#include <QSslCertificate>
#include <QString>

#include <functional>
#include <string>

class QObject;
class QSslSocket;

namespace skiff::net {

// Exactly one of the two is called, on `context`'s thread, unless `context` goes first: `done`
// with the client's certificate (null if it sent none; verified against the CAs if it did), or
// `failed` with why ("TLS handshake failed: ..."). The peer closing mid-handshake calls neither:
// the socket's disconnected() says so. `certificateRequired`: a client that sends none fails
// too; for a socket that asks with QueryPeer, where TLS itself lets such a client finish its
// handshake, so that the server may tell it why in the protocol it speaks before closing (the
// socket is encrypted when `failed` comes for a certificate, not for a broken handshake). With
// VerifyPeer, Qt refuses a missing certificate in the handshake.
void watchServerHandshake(QSslSocket *socket, QObject *context, bool certificateRequired,
                          std::function<void(const QSslCertificate &client)> done,
                          std::function<void(const std::string &why)> failed);

// Whether `firstByte` can begin a TLS connection (a handshake record, 0x16): a server that
// speaks TLS tells a plaintext client so, and one that does not can say it met a TLS client.
inline bool beginsTlsHandshake(char firstByte) { return static_cast<unsigned char>(firstByte) == 0x16; }

} // namespace skiff::net
