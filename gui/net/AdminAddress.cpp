#include "net/AdminAddress.h"

#include <QCoreApplication>

namespace skiff::gui {

bool splitAdminAddress(const QString &address, QString &host, quint16 &port)
{
    const int colon = address.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    host = address.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint p = address.mid(colon + 1).toUInt(&ok);
    if (!ok || p == 0 || p > 65535)
        return false;
    port = quint16(p);
    return !host.isEmpty();
}

AdminAddressList parseAdminAddresses(const QString &text)
{
    AdminAddressList out;
    QStringList bad;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString a = part.trimmed();
        if (a.isEmpty())
            continue;
        QString host;
        quint16 port = 0;
        if (!splitAdminAddress(a, host, port))
            bad << a;
        out.addresses << a;
    }
    if (!bad.isEmpty())
        out.error = QCoreApplication::translate("AdminAddress", "Not host:port (port 1..65535): %1").arg(bad.join(QStringLiteral(", ")));
    else if (out.addresses.isEmpty())
        out.error = QCoreApplication::translate("AdminAddress", "Give at least one admin address (host:port).");
    return out;
}

} // namespace skiff::gui
