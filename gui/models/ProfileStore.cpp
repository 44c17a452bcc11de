#include "models/ProfileStore.h"

#include <QSettings>

#include <algorithm>

namespace skiff::gui {

QList<Profile> ProfileStore::load() const
{
    QSettings settings;
    QList<Profile> out;
    const int n = settings.beginReadArray(QStringLiteral("profiles"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        Profile p;
        p.name = settings.value(QStringLiteral("name")).toString();
        p.addresses = settings.value(QStringLiteral("addresses")).toStringList();
        p.token = settings.value(QStringLiteral("token")).toString();
        p.watchdogMissMs = settings.value(QStringLiteral("watchdogMissMs"), 200).toInt();
        p.rateHz = settings.value(QStringLiteral("rateHz"), 2).toInt();
        if (!p.name.isEmpty())
            out << p;
    }
    settings.endArray();
    return out;
}

std::optional<Profile> ProfileStore::find(const QString &name) const
{
    for (const Profile &p : load())
        if (p.name == name)
            return p;
    return std::nullopt;
}

static void writeAll(const QList<Profile> &profiles)
{
    QSettings settings;
    settings.remove(QStringLiteral("profiles"));
    settings.beginWriteArray(QStringLiteral("profiles"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        settings.setArrayIndex(i);
        const Profile &p = profiles[i];
        settings.setValue(QStringLiteral("name"), p.name);
        settings.setValue(QStringLiteral("addresses"), p.addresses);
        settings.setValue(QStringLiteral("token"), p.token);
        settings.setValue(QStringLiteral("watchdogMissMs"), p.watchdogMissMs);
        settings.setValue(QStringLiteral("rateHz"), p.rateHz);
    }
    settings.endArray();
}

void ProfileStore::save(const Profile &profile)
{
    QList<Profile> all = load();
    bool replaced = false;
    for (Profile &p : all)
        if (p.name == profile.name) {
            p = profile;
            replaced = true;
        }
    if (!replaced)
        all << profile;
    writeAll(all);
}

void ProfileStore::remove(const QString &name)
{
    QList<Profile> all = load();
    all.erase(std::remove_if(all.begin(), all.end(), [&](const Profile &p) { return p.name == name; }), all.end());
    writeAll(all);
}

QString ProfileStore::lastUsed() const { return QSettings().value(QStringLiteral("lastProfile")).toString(); }

void ProfileStore::setLastUsed(const QString &name) { QSettings().setValue(QStringLiteral("lastProfile"), name); }

} // namespace skiff::gui
