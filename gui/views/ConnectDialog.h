#pragma once
// Choose a saved profile or type admin addresses, a token and the TLS files; optionally save them
// as a profile (the token and key passphrase go to the keyring: ProfileStore). Addresses the
// connection could not dial, and TLS files it could not use, are refused in the dialog.

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
    void showProfile(const Profile &profile);
    void showTlsEnabled(bool enabled);
    void refuse(const QString &why, QWidget *fix);
    QWidget *withBrowseButton(QLineEdit *edit, const QString &title, const QString &filter);
    void removeProfile();
    void accept() override;

    ProfileStore *m_store;
    QComboBox *m_name;
    QLineEdit *m_addresses;
    QLineEdit *m_token;
    QSpinBox *m_missMs;
    QSpinBox *m_rate;
    QCheckBox *m_tls;
    QLineEdit *m_caFile;
    QLineEdit *m_certFile;
    QLineEdit *m_keyFile;
    QLineEdit *m_keyPassphrase;
    QList<QWidget *> m_tlsFields;   // enabled with m_tls
    QCheckBox *m_save;
    QLabel *m_error;
};

} // namespace skiff::gui
