#include "metadata/MetadataController.h"

#include <QElapsedTimer>
#include <QPointer>

namespace skiff::metadata {

MetadataController::MetadataController()
{
    qRegisterMetaType<skiff::metadata::ImagePtr>();
    m_published.store(std::make_shared<MetadataImage>());
}

MetadataController::~MetadataController() = default;

int64_t MetadataController::monotonicNowMs()
{
    QElapsedTimer clock;
    clock.start();
    return clock.msecsSinceReference();
}

void MetadataController::publish(ImagePtr image)
{
    m_published.store(image, std::memory_order_release);
    emit imagePublished(std::move(image));
}

void postTo(const QPointer<QObject> &context, std::function<void()> call)
{
    if (!context || !call)
        return;
    QMetaObject::invokeMethod(context.data(), [guard = context, call = std::move(call)]() {
        if (guard)
            call();
    }, Qt::QueuedConnection);
}

void replyOn(const QPointer<QObject> &context, std::function<void(ApplyResult)> done, ApplyResult result)
{
    if (!done)
        return;
    postTo(context, [done = std::move(done), result = std::move(result)]() { done(result); });
}

void replyOn(const QPointer<QObject> &context, std::function<void(Status, ImagePtr)> done, Status status, ImagePtr image)
{
    if (!done)
        return;
    postTo(context, [done = std::move(done), status = std::move(status), image = std::move(image)]() {
        done(status, image);
    });
}

} // namespace skiff::metadata
