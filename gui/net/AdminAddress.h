#pragma once
// The one rule for "host:port" (or "[v6]:port"): the connection dials what it accepts, and the
// dialogs refuse what it would not dial, before a profile with a typo is saved.

#include <QString>
#include <QStringList>

namespace skiff::gui {

// False when there is no host or no port in 1..65535.
bool splitAdminAddress(const QString &address, QString &host, quint16 &port);

struct AdminAddressList {
    QStringList addresses;   // trimmed, blanks between commas dropped
    QString error;           // empty when every address is usable and there is at least one
};

// The connect dialog's "a:1, b:2" field.
AdminAddressList parseAdminAddresses(const QString &text);

} // namespace skiff::gui
