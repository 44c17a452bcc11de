#pragma once
// Base of the dashboard's tables: subclasses rebuild their rows from the ClusterModel and hand
// them over whole. Same row count: one dataChanged (selection and scroll position survive the
// 2 Hz refresh); otherwise a reset.

#include <QAbstractTableModel>
#include <QStringList>
#include <QVariant>

#include <vector>

namespace skiff::gui {

class RowTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Flag { None, Warning, Critical, Muted };
    enum Role { FlagRole = Qt::UserRole + 1 };

    struct Row {
        QVariantList cells;
        Flag flag = Flag::None;
        QString reason;       // why the row is flagged; its tooltip
    };

    RowTableModel(QStringList headers, QObject *parent);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Row &row(int i) const { return m_rows[size_t(i)]; }
    // The displayed text of a cell, for tests and exports.
    QString text(int row, int column) const;
    int flaggedRows() const;

protected:
    void setRows(std::vector<Row> rows);

private:
    QStringList m_headers;
    std::vector<Row> m_rows;
};

} // namespace skiff::gui
