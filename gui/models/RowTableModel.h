#pragma once
// Base of the dashboard's tables: subclasses rebuild their rows from the ClusterModel and hand
// them over whole. Same row count: one dataChanged (selection and scroll position survive the
// refresh); otherwise a reset. Change signals go through scheduleRebuild(): immediate by default
// (tests read the rows right after a change), at most once per interval when the window sets one,
// so five nodes at 10 Hz do not relayout and repaint the tables 50 times a second.

#include <QAbstractTableModel>
#include <QTimer>
#include <QStringList>
#include <QVariant>

#include <vector>

namespace skiff::gui {

class RowTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Flag { None, Warning, Critical, Muted };
    // SortRole: what a QSortFilterProxyModel sorts a column by (numbers as numbers, not as the
    // text "1.5 MiB/s"): a row's sortKeys where it sets them, else the displayed cell.
    enum Role { FlagRole = Qt::UserRole + 1, SortRole };

    struct Row {
        QVariantList cells;
        Flag flag = Flag::None;
        QString reason;       // why the row is flagged; its tooltip
        QVariantList sortKeys;   // per column, or empty: sort by the cells
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

    // 0: rebuild on every change; otherwise at most once per `ms` (a change waits at most `ms`).
    void setRebuildIntervalMs(int ms);
    // A rebuild that is waiting for the interval, now (before a screenshot or an export).
    void flush();

protected:
    void setRows(std::vector<Row> rows);
    void scheduleRebuild();
    virtual void rebuild() = 0;

private:
    QStringList m_headers;
    std::vector<Row> m_rows;
    QTimer m_rebuildTimer;
};

} // namespace skiff::gui
