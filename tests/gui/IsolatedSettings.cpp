#include "IsolatedSettings.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>

namespace skiff::gui::test {

bool IsolatedSettings::activate(const QString &applicationName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SkiffTest"));
    QCoreApplication::setApplicationName(applicationName);
    if (!m_dir.isValid())
        return false;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    if (!QSettings().fileName().startsWith(m_dir.path()))
        return false;
    QSettings().clear();
    return true;
}

} // namespace skiff::gui::test
