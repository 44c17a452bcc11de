#include "core/Logging.h"

#include <QLoggingCategory>
#include <QString>

namespace skiff::core {

void installLogging(const std::string &level, const std::string &extraRules)
{
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzzZ} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                                      "%{if-warning}warning%{endif}%{if-critical}critical%{endif}%{if-fatal}fatal%{endif}"
                                      " %{category}: %{message}"));
    QString rules = QStringLiteral("skiff.*.debug=false\n");
    if (level == "debug")
        rules = QStringLiteral("skiff.*.debug=true\n");
    else if (level == "warning")
        rules += QStringLiteral("skiff.*.info=false\n");
    else if (level == "critical")
        rules += QStringLiteral("skiff.*.info=false\nskiff.*.warning=false\n");
    rules += QString::fromStdString(extraRules).replace(';', '\n');
    QLoggingCategory::setFilterRules(rules);
}

} // namespace skiff::core
