#include "views/NodeCardsView.h"

#include "models/NodesModel.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace skiff::gui {
namespace {

// A card's border, painted with the palette of the moment (a style sheet would freeze the
// palette it was polished with, and the text would stay dark on the dark palette).
class CardFrame : public QFrame {
public:
    RowTableModel::Flag flag = RowTableModel::Flag::None;

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        QColor color = palette().color(QPalette::Mid);
        if (flag == RowTableModel::Flag::Critical)
            color = QColor(220, 40, 40);
        else if (flag == RowTableModel::Flag::Warning)
            color = QColor(230, 160, 0);
        p.setPen(QPen(color, 2));
        p.drawRoundedRect(QRectF(rect()).adjusted(1, 1, -1, -1), 4, 4);
    }
};

} // namespace

NodeCardsView::NodeCardsView(NodesModel *model, QWidget *parent)
    : QScrollArea(parent), m_model(model), m_strip(new QWidget), m_layout(new QHBoxLayout(m_strip))
{
    m_layout->setContentsMargins(2, 2, 2, 2);
    m_layout->setSpacing(6);
    m_layout->addStretch(1);
    setWidget(m_strip);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    // The table model rebuilds at most at the window's 4 Hz; the cards follow it.
    connect(model, &QAbstractItemModel::modelReset, this, &NodeCardsView::sync);
    connect(model, &QAbstractItemModel::dataChanged, this, &NodeCardsView::sync);
    connect(model, &QAbstractItemModel::rowsInserted, this, &NodeCardsView::sync);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &NodeCardsView::sync);
    sync();
}

NodeCardsView::Card NodeCardsView::makeCard()
{
    Card c;
    c.frame = new CardFrame;
    c.frame->setMinimumWidth(220);
    c.frame->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    auto *layout = new QVBoxLayout(c.frame);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(2);
    c.title = new QLabel;
    QFont bold = c.title->font();
    bold.setBold(true);
    c.title->setFont(bold);
    c.body = new QLabel;
    c.body->setTextFormat(Qt::PlainText);   // cheaper to lay out at 4 Hz than rich text
    c.body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(c.title);
    layout->addWidget(c.body);
    layout->addStretch(1);
    return c;
}

void NodeCardsView::sync()
{
    const int rows = m_model->rowCount();
    while (int(m_cards.size()) < rows) {
        Card c = makeCard();
        m_layout->insertWidget(int(m_cards.size()), c.frame, 1);
        m_cards.push_back(c);
    }
    while (int(m_cards.size()) > rows) {
        delete m_cards.back().frame;
        m_cards.pop_back();
    }
    for (int i = 0; i < rows; ++i) {
        Card &c = m_cards[size_t(i)];
        const NodesModel::Card card = m_model->card(i);
        c.title->setText(card.title);   // QLabel ignores an unchanged text: no relayout
        c.body->setText(card.lines.join(QLatin1Char('\n')));
        const RowTableModel::Row &row = m_model->row(i);
        c.frame->setToolTip(row.reason);
        if (c.flag != int(row.flag)) {
            c.flag = int(row.flag);
            static_cast<CardFrame *>(c.frame)->flag = row.flag;
            c.frame->update();
        }
    }
}

QString NodeCardsView::cardText(int i) const
{
    const Card &c = m_cards.at(size_t(i));
    return c.title->text() + QLatin1Char('\n') + c.body->text();
}

int NodeCardsView::cardFlag(int i) const { return m_cards.at(size_t(i)).flag; }

} // namespace skiff::gui
