#pragma once
// Saved profiles in QSettings (~/.config/Skiff/skiff-dashboard.conf): several clusters, each
// with its own admin token. The token is stored in plain text like any client config file; the
// file is the user's own.

#include "models/Profile.h"

#include <QList>
#include <optional>

namespace skiff::gui {

class ProfileStore {
public:
    QList<Profile> load() const;
    std::optional<Profile> find(const QString &name) const;
    void save(const Profile &profile);
    void remove(const QString &name);
    QString lastUsed() const;
    void setLastUsed(const QString &name);
};

} // namespace skiff::gui
