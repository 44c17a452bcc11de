#pragma once
// The Alt+letter keys a window or a menu offers, to prove none is claimed twice: Qt treats a
// shared mnemonic as ambiguous and only moves the focus between the claimants, so the second
// button or tab silently stops working from the keyboard.

#include <QStringList>

class QMenu;
class QWidget;

namespace skiff::gui::test {

// Visible buttons, labels with a buddy, every tab of visible tab bars and the menu bar's menus.
QStringList mnemonicClashes(const QWidget *window);
// The items of one open menu (their letters work only while it is open).
QStringList mnemonicClashes(const QMenu *menu);
// Texts of a menu's items (separators left out) that have no mnemonic.
QStringList withoutMnemonic(const QMenu *menu);

} // namespace skiff::gui::test
