#pragma once
// One row per node: what it believes about the cluster and how it is doing. Rows that disagree
// with the majority, are unreachable or not ready are flagged.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;
struct NodeEntry;
struct UnreachableNode;

class NodesModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column {
        Node, Address, Connection, Role, Leader, Term, Commit, Applied, Lag, Ready, Startup, Version, Uptime, Links,
        Traffic, Disk, Fsync, ColumnCount
    };

    explicit NodesModel(ClusterModel *cluster, QObject *parent = nullptr);

    // The same row as a card of the overview: a title and a few short lines, none with a blank
    // where a value should be. A node that cannot be reached gets what the others last saw of it
    // (UnreachableNode).
    struct Card {
        QString title;
        QStringList lines;
    };
    Card card(int row) const;

private:
    void rebuild() override;
    Card streamingCard(int row) const;
    Card unreachableCard(const NodeEntry &node, const UnreachableNode &gone) const;

    std::vector<Card> m_unreachableCards;   // per row, built with the rows; empty title: not unreachable

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
