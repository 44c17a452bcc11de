#include "metadata/MetadataController.h"

#include <QPointer>

namespace skiff::metadata {

MetadataController::MetadataController()
{
    qRegisterMetaType<skiff::metadata::ImagePtr>();
    m_published.store(std::make_shared<MetadataImage>());
}

MetadataController::~MetadataController() = default;

void MetadataController::publish(ImagePtr image)
{
    m_published.store(image, std::memory_order_release);
    emit imagePublished(std::move(image));
}

void replyOn(const QPointer<QObject> &context, std::function<void(ApplyResult)> done, ApplyResult result)
{
    if (!context || !done)
        return;
    QMetaObject::invokeMethod(context.data(), [guard = context, done = std::move(done),
                                        result = std::move(result)]() {
        if (guard)
            done(result);
    }, Qt::QueuedConnection);
}

} // namespace skiff::metadata
