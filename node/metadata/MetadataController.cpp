#include "metadata/MetadataController.h"

#include "metadata.pb.h"
#include "raft.pb.h"

#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcMetadata, "skiff.metadata")

namespace skiff::metadata {

MetadataController::MetadataController(uint64_t nodeId, std::string journalPath)
    : m_nodeId(nodeId), m_journalPath(std::move(journalPath))
{
    qRegisterMetaType<skiff::metadata::ImagePtr>();
    auto initial = std::make_shared<MetadataImage>();
    m_published.store(initial);
}

MetadataController::~MetadataController() = default;

void MetadataController::start()
{
    auto entries = m_journal.open(m_journalPath);
    if (!entries.isOk()) {
        m_failure = QString::fromStdString(entries.status().toString());
        qCCritical(lcMetadata, "cannot open the metadata log: %s", qPrintable(m_failure));
        emit failed(m_failure);
        return;
    }
    for (const raft::Entry &entry : entries.value()) {
        // Typed entries: only NORMAL entries carry commands; anything else stops the replay loudly.
        if (entry.type() != raft::ENTRY_NORMAL) {
            m_failure = QStringLiteral("%1: entry %2 has type %3, which this build cannot apply; refusing to start")
                            .arg(QString::fromStdString(m_journalPath)).arg(entry.index()).arg(int(entry.type()));
            qCCritical(lcMetadata, "%s", qPrintable(m_failure));
            emit failed(m_failure);
            return;
        }
        Command command;
        if (!command.ParseFromString(entry.data()) || command.command_case() == Command::COMMAND_NOT_SET) {
            m_failure = QStringLiteral("%1: entry %2 holds no command this build knows; refusing to start")
                            .arg(QString::fromStdString(m_journalPath)).arg(entry.index());
            qCCritical(lcMetadata, "%s", qPrintable(m_failure));
            emit failed(m_failure);
            return;
        }
        m_stateMachine.apply(entry.index(), command);
        m_lastIndex = entry.index();
    }
    m_started = true;
    publish();
    qCInfo(lcMetadata, "metadata log replayed: %zu entries, %zu topics, %zu brokers", entries->size(),
           m_stateMachine.image()->topics.size(), m_stateMachine.image()->brokers.size());
    emit ready();
}

void MetadataController::submit(const Command &command, QObject *context, std::function<void(ApplyResult)> done)
{
    auto copy = std::make_shared<Command>(command);
    QMetaObject::invokeMethod(this, [this, copy, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        propose(copy, ctx, std::move(done));
    }, Qt::QueuedConnection);
}

void MetadataController::propose(const std::shared_ptr<Command> &command, QObject *context,
                                 std::function<void(ApplyResult)> done)
{
    auto reply = [context = QPointer<QObject>(context), done = std::move(done)](ApplyResult result) mutable {
        if (!context)
            return;
        QMetaObject::invokeMethod(context, [done = std::move(done), result = std::move(result)]() { done(result); },
                                  Qt::QueuedConnection);
    };
    if (!m_started || !m_failure.isEmpty()) {
        reply({unavailable(m_failure.isEmpty() ? "metadata is still loading" : m_failure.toStdString())});
        return;
    }
    raft::Entry entry;
    entry.set_index(m_lastIndex + 1);
    entry.set_term(1);
    entry.set_type(raft::ENTRY_NORMAL);
    entry.set_data(command->SerializeAsString());
    if (Status s = m_journal.append(entry); !s.isOk()) {
        m_failure = QString::fromStdString(s.toString());
        qCCritical(lcMetadata, "metadata log write failed; refusing further metadata changes: %s", qPrintable(m_failure));
        reply({s});
        return;
    }
    m_lastIndex = entry.index();
    ApplyResult result = m_stateMachine.apply(entry.index(), *command);
    publish();
    reply(std::move(result));
}

void MetadataController::publish()
{
    auto image = std::make_shared<MetadataImage>(*m_stateMachine.image());
    image->controllerId = m_nodeId;
    ImagePtr published = std::move(image);
    m_published.store(published, std::memory_order_release);
    emit imagePublished(published);
}

} // namespace skiff::metadata
