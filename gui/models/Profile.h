#pragma once
// A saved cluster: where its admin sockets are and the token its mutating requests need.

#include <QString>
#include <QStringList>

namespace skiff::gui {

struct Profile {
    QString name;
    QStringList addresses;     // host:port of admin sockets; one is enough (the rest are discovered)
    QString token;             // admin.token of the cluster; empty when it sets none
    int watchdogMissMs = 200;  // the nodes' watchdog.miss.ms (the snapshot does not carry it)
    int rateHz = 2;            // Subscribe rate
};

} // namespace skiff::gui
