#pragma once
// Who a connection's requests come from: the listener it came in on (Metadata answers with its
// addresses) and the principal the authorizer checks (SASL's user, a verified TLS client
// certificate's subject, or User:ANONYMOUS) with the client's address.

#include "auth/Authorizer.h"
#include "core/KafkaListeners.h"

namespace skiff::kafka {

struct ClientSession {
    const core::KafkaListener *listener = nullptr;
    auth::Principal principal;
};

} // namespace skiff::kafka
