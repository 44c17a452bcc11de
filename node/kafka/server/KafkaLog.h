#pragma once
// "skiff.kafka": the Kafka listener and connections, request handling, partition hosting and the group coordinator.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcKafka)
