#pragma once
// QSettings of one test run in a directory of its own: two runs at once (two build trees, a
// stress run) would otherwise share ~/.qttest's file and see each other's profiles.

#include <QString>
#include <QTemporaryDir>

namespace skiff::gui::test {

class IsolatedSettings {
public:
    // From initTestCase: names the application and points the user scope at the directory.
    // False when that directory could not be made or QSettings would not use it.
    bool activate(const QString &applicationName);

private:
    QTemporaryDir m_dir;
};

} // namespace skiff::gui::test
