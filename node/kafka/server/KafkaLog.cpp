#include "kafka/server/KafkaLog.h"

Q_LOGGING_CATEGORY(lcKafka, "skiff.kafka")
