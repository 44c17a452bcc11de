#pragma once
// What the rest of a node sees of the cluster's metadata: the latest applied image, and a way to
// propose a change and hear how it was applied. The Raft controller (node/cluster) implements it;
// the Kafka side depends only on this interface.
//
// Readers on any thread call image() (an atomic pointer load) and never wait for the thread that
// applies commands. Proposals are posted to that thread; their result comes back as a call posted
// to the proposer's thread once the command is applied on THIS node (so the proposer's next read
// of image() already contains it).

#include "metadata/MetadataImage.h"
#include "metadata/MetadataStateMachine.h"
#include "metadata/QuorumDescription.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace skiff::metadata {

class Command;

class MetadataController : public QObject {
    Q_OBJECT
public:
    MetadataController();
    ~MetadataController() override;

    // Any thread.
    ImagePtr image() const { return m_published.load(std::memory_order_acquire); }

    // Any thread. `done` runs on `context`'s thread once the command is applied on this node (or
    // with the error that stopped it: Unavailable while no leader is known or the proposal was
    // not committed in time, so the caller may retry). If `context` is gone by then, the result
    // is dropped with it.
    virtual void submit(const Command &command, QObject *context, std::function<void(ApplyResult)> done) = 0;

    // Any thread. `done` runs on `context`'s thread with the quorum as its leader sees it (asked
    // of the leader when this node is not it), or Unavailable while no leader answers: no leader
    // known, leadership moved meanwhile, or no answer within the proposal timeout.
    virtual void describeQuorum(QObject *context, std::function<void(Result<QuorumDescription>)> done) = 0;

    // Any thread. Whether this broker may act as the leader of the partitions the image gives it
    // (and as their group coordinator): its lease with the controller holds (cluster/BrokerLease.h
    // says why that is safe). A controller that never publishes a lease grants it forever.
    bool leaseHeld() const { return monotonicNowMs() < leaseExpiresAtMs(); }
    // Any thread. When the lease runs out unless renewed, in monotonicNowMs' clock (INT64_MAX:
    // never; in the past: not held).
    int64_t leaseExpiresAtMs() const { return m_leaseExpiresAtMs.load(std::memory_order_acquire); }
    // Any thread. How long the controller thread has seen the lease out, as of its last turn (it
    // brings the lease up to date at every turn of its loop); 0 while it is held, and before the
    // first one was granted. Counted from the first turn that found it out, not from the expiry:
    // a process stopped (SIGSTOP, a frozen VM) or a thread stalled past the expiry had no chance to
    // renew it, and the next turn may well do so (faults_faults, seed 1405).
    int64_t leaseLapsedMs() const { return m_leaseLapsedMs.load(std::memory_order_acquire); }
    // The monotonic clock the lease is published in (CLOCK_MONOTONIC ms, as QElapsedTimer's).
    static int64_t monotonicNowMs();

signals:
    // The metadata known locally has been loaded (snapshot and local log replayed).
    void ready();
    void failed(QString reason);
    void imagePublished(skiff::metadata::ImagePtr image);

protected:
    // Controller thread: makes `image` the one readers see.
    void publish(ImagePtr image);
    // Controller thread: the lease holds until `expiresAtMs` (monotonicNowMs' clock).
    void publishLease(int64_t expiresAtMs)
    {
        m_leaseExpiresAtMs.store(expiresAtMs, std::memory_order_release);
        const int64_t now = monotonicNowMs();
        if (expiresAtMs == INT64_MIN || now < expiresAtMs) {   // none granted yet, or held
            m_leaseOutSinceMs = -1;
            m_leaseLapsedMs.store(0, std::memory_order_release);
            return;
        }
        if (m_leaseOutSinceMs < 0)
            m_leaseOutSinceMs = now;
        m_leaseLapsedMs.store(now - m_leaseOutSinceMs, std::memory_order_release);
    }

private:
    std::atomic<ImagePtr> m_published;
    std::atomic<int64_t> m_leaseExpiresAtMs{INT64_MAX};
    std::atomic<int64_t> m_leaseLapsedMs{0};
    int64_t m_leaseOutSinceMs = -1;   // controller thread: the first turn that found the lease out
};

// Runs `call` on `context`'s thread as a queued call, dropping it if `context` is gone by then.
void postTo(const QPointer<QObject> &context, std::function<void()> call);
// Posts `result` to `done` on `context`'s thread, dropping it if `context` is gone.
void replyOn(const QPointer<QObject> &context, std::function<void(ApplyResult)> done, ApplyResult result);
// The same for the answer to a linearizable read: an image, or why there is none.
void replyOn(const QPointer<QObject> &context, std::function<void(Status, ImagePtr)> done, Status status, ImagePtr image);

} // namespace skiff::metadata

Q_DECLARE_METATYPE(skiff::metadata::ImagePtr)
