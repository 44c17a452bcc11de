#pragma once
// Fetch: returns stored batches as stored, up to the high watermark, honouring max_bytes and
// partition max_bytes (always at least one whole batch so a large batch cannot stall a
// consumer). A fetch that finds fewer than min_bytes waits, up to max_wait_ms, in the shared
// DelayedFetches set and is looked at again only when one of its partitions gains data.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct FetchRequest;
struct FetchResponse;

class FetchHandler {
public:
    explicit FetchHandler(BrokerContext &context) : m_context(context) {}
    void handle(RequestInfo info, FetchRequest request);

private:
    // A consumer with a consumer_byte_rate quota: records `response`'s size; when that takes the
    // client over its quota, answers an empty response with the throttle time instead, mutes the
    // client and returns true. False: the caller answers `response`.
    bool answerThrottled(RequestInfo &info, const FetchResponse &response, const std::string &user, const std::string &clientId);

    BrokerContext &m_context;
};

} // namespace skiff::kafka
