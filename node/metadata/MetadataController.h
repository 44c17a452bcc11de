#pragma once
// The single owner of the metadata state machine. It lives on its own thread: commands reach it
// as posted calls, are made durable, applied in order, and published as a new immutable image.
// Every other thread reads image() (an atomic pointer load) and never waits for this one.
// The cluster issue swaps the journal for the Raft Ready loop behind this same interface.

#include "metadata/MetadataImage.h"
#include "metadata/MetadataJournal.h"
#include "metadata/MetadataStateMachine.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace skiff::metadata {

class Command;

class MetadataController : public QObject {
    Q_OBJECT
public:
    MetadataController(uint64_t nodeId, std::string journalPath);
    ~MetadataController() override;

    // Any thread.
    ImagePtr image() const { return m_published.load(std::memory_order_acquire); }

    // Any thread. `done` runs on `context`'s thread once the command is durable and the image
    // that contains it is published (or with the error that stopped it). If `context` is gone
    // by then, the result is dropped with it.
    void submit(const Command &command, QObject *context, std::function<void(ApplyResult)> done);

    // Controller thread (post it there): replays the journal. Emits ready() or failed().
    void start();

signals:
    void ready();
    void failed(QString reason);
    void imagePublished(skiff::metadata::ImagePtr image);

private:
    void propose(const std::shared_ptr<Command> &command, QObject *context, std::function<void(ApplyResult)> done);
    void publish();

    const uint64_t m_nodeId;
    const std::string m_journalPath;
    MetadataJournal m_journal;
    MetadataStateMachine m_stateMachine;
    uint64_t m_lastIndex = 0;
    bool m_started = false;
    QString m_failure;   // set once the log can no longer be written: every later proposal fails
    std::atomic<ImagePtr> m_published;
};

} // namespace skiff::metadata

Q_DECLARE_METATYPE(skiff::metadata::ImagePtr)
