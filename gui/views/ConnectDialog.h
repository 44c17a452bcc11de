#pragma once
// Choose a saved profile or type admin addresses and a token; optionally save them as a profile.
// Addresses the connection could not dial are refused in the dialog (net/AdminAddress).

#include "models/Profile.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;
class QCheckBox;
class QLabel;

namespace skiff::gui {

class ProfileStore;

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    ConnectDialog(ProfileStore *store, const Profile &current, QWidget *parent = nullptr);

    Profile profile() const;

private:
    void loadProfile(const QString &name);
    void removeProfile();
    void accept() override;

    ProfileStore *m_store;
    QComboBox *m_name;
    QLineEdit *m_addresses;
    QLineEdit *m_token;
    QSpinBox *m_missMs;
    QSpinBox *m_rate;
    QCheckBox *m_save;
    QLabel *m_error;
};

} // namespace skiff::gui
