#pragma once
// A saved cluster: where its admin sockets are, how to reach them (TLS) and the token its mutating
// requests need. The token and the key passphrase are secrets: ProfileStore keeps them in the
// desktop keyring, never in the settings file.

#include "net/AdminTls.h"

#include <QString>
#include <QStringList>

namespace skiff::gui {

struct Profile {
    QString name;
    QStringList addresses;     // host:port of admin sockets; one is enough (the rest are discovered)
    QString token;             // secret: admin.token of the cluster; empty when it sets none
    AdminTls tls;              // its keyPassphrase is a secret
    int watchdogMissMs = 200;  // the nodes' watchdog.miss.ms (the snapshot does not carry it)
    int rateHz = 2;            // Subscribe rate
};

} // namespace skiff::gui
