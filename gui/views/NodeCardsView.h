#pragma once
// The cluster overview: one card per node (role, the leader it believes in, term, commit and
// applied with lag, readiness, startup state, build, uptime, peer links), bordered by the row's
// flag so a disagreeing or unreachable node stands out. Renders NodesModel; decides nothing.

#include <QScrollArea>

#include <vector>

class QFrame;
class QHBoxLayout;
class QLabel;

namespace skiff::gui {

class NodesModel;

class NodeCardsView : public QScrollArea {
    Q_OBJECT
public:
    explicit NodeCardsView(NodesModel *model, QWidget *parent = nullptr);

    // For tests: what the cards show.
    int cardCount() const { return int(m_cards.size()); }
    QString cardText(int i) const;
    int cardFlag(int i) const;

private:
    struct Card {
        QFrame *frame = nullptr;
        QLabel *title = nullptr;
        QLabel *body = nullptr;
        int flag = -1;
    };

    void sync();
    Card makeCard();

    NodesModel *m_model;
    QWidget *m_strip;
    QHBoxLayout *m_layout;
    std::vector<Card> m_cards;
};

} // namespace skiff::gui
