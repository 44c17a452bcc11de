#include "Mnemonics.h"

#include <QAbstractButton>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QTabBar>

#include <map>

namespace skiff::gui::test {
namespace {

using Claims = std::map<int, QStringList>;   // key -> texts claiming it

void claim(Claims &claims, const QString &text)
{
    const QKeySequence key = QKeySequence::mnemonic(text);
    if (!key.isEmpty())
        claims[key[0].key()] << text;
}

QStringList clashesOf(const Claims &claims)
{
    QStringList out;
    for (const auto &[key, texts] : claims)
        if (texts.size() > 1)
            out << QStringLiteral("Alt+%1: %2").arg(QKeySequence(key).toString(), texts.join(QStringLiteral(" | ")));
    return out;
}

} // namespace

QStringList mnemonicClashes(const QWidget *window)
{
    Claims claims;
    for (const QAbstractButton *b : window->findChildren<QAbstractButton *>())
        if (b->isVisible())
            claim(claims, b->text());
    for (const QLabel *l : window->findChildren<QLabel *>())
        if (l->isVisible() && l->buddy())
            claim(claims, l->text());
    for (const QTabBar *bar : window->findChildren<QTabBar *>())
        if (bar->isVisible())
            for (int i = 0; i < bar->count(); ++i)
                claim(claims, bar->tabText(i));
    for (const QMenuBar *bar : window->findChildren<QMenuBar *>())
        for (const QAction *a : bar->actions())
            claim(claims, a->text());
    return clashesOf(claims);
}

QStringList mnemonicClashes(const QMenu *menu)
{
    Claims claims;
    for (const QAction *a : menu->actions())
        if (!a->isSeparator())
            claim(claims, a->text());
    return clashesOf(claims);
}

QStringList withoutMnemonic(const QMenu *menu)
{
    QStringList out;
    for (const QAction *a : menu->actions())
        if (!a->isSeparator() && QKeySequence::mnemonic(a->text()).isEmpty())
            out << a->text();
    return out;
}

} // namespace skiff::gui::test
