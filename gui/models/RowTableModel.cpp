#include "models/RowTableModel.h"

#include <QColor>

#include <algorithm>

namespace skiff::gui {

RowTableModel::RowTableModel(QStringList headers, QObject *parent)
    : QAbstractTableModel(parent), m_headers(std::move(headers)), m_rebuildTimer(this)
{
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(0);
    connect(&m_rebuildTimer, &QTimer::timeout, this, [this] { rebuild(); });
}

void RowTableModel::setRebuildIntervalMs(int ms) { m_rebuildTimer.setInterval(std::max(0, ms)); }

void RowTableModel::scheduleRebuild()
{
    if (m_rebuildTimer.interval() == 0)
        rebuild();
    else if (!m_rebuildTimer.isActive())
        m_rebuildTimer.start();
}

void RowTableModel::flush()
{
    if (m_rebuildTimer.isActive()) {
        m_rebuildTimer.stop();
        rebuild();
    }
}

int RowTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int RowTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_headers.size()); }

QVariant RowTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return index.column() < r.cells.size() ? r.cells[index.column()] : QVariant();
    case Qt::ToolTipRole:
        return r.reason.isEmpty() ? QVariant() : QVariant(r.reason);
    case Qt::BackgroundRole:
        // Translucent tints read on light and dark palettes alike.
        if (r.flag == Flag::Critical)
            return QColor(220, 40, 40, 90);
        if (r.flag == Flag::Warning)
            return QColor(230, 160, 0, 80);
        return {};
    case Qt::ForegroundRole:
        if (r.flag == Flag::Muted)
            return QColor(128, 128, 128);
        return {};
    case FlagRole:
        return int(r.flag);
    case SortRole:
        if (index.column() < r.sortKeys.size())
            return r.sortKeys[index.column()];
        return index.column() < r.cells.size() ? r.cells[index.column()] : QVariant();
    default:
        return {};
    }
}

QVariant RowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_headers.size())
        return m_headers[section];
    return {};
}

QString RowTableModel::text(int row, int column) const { return data(index(row, column)).toString(); }

int RowTableModel::flaggedRows() const
{
    int n = 0;
    for (const Row &r : m_rows)
        n += (r.flag == Flag::Warning || r.flag == Flag::Critical) ? 1 : 0;
    return n;
}

void RowTableModel::setRows(std::vector<Row> rows)
{
    if (rows.size() != m_rows.size()) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, columnCount() - 1));
}

} // namespace skiff::gui
