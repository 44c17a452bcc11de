#pragma once
// Constants and small facts of the admin protocol (admin.proto) shared by the node, skiffctl and
// the dashboard.

#include "admin.pb.h"

#include <cstddef>
#include <cstdint>

namespace skiff::admin {

// Bumped only for a change an older peer would misread; additions keep the version.
inline constexpr uint32_t kProtocolVersion = 1;

// Requests are small; a node refuses anything larger before allocating it.
inline constexpr int32_t kMaxRequestFrameBytes = 1 << 20;
// Responses grow with the cluster (every topic, every lock class); clients accept more.
inline constexpr int32_t kMaxResponseFrameBytes = 64 << 20;

inline constexpr uint32_t kMaxSubscribeRateHz = 20;

// Events a node keeps for subscribers that come later (Subscribe with_history, GetEvents): a few
// minutes of an incident, a bounded memory.
inline constexpr size_t kEventHistoryCapacity = 256;
// Leaderships listed per event (LeaderMoves); a broker leading more names the rest by count.
inline constexpr int kMaxLeaderMovesPerEvent = 100;

// "get_status", "create_topic", ... ("none" when no body is set), for log lines and errors.
const char *requestKindName(const Request &request);

// Requests that change the cluster: they need admin.token when the node sets one.
bool isMutating(const Request &request);

// "ok", "offline", "storage-offline" ("unknown" when not reported): how skiffctl and the dashboard
// show a partition's state.
const char *partitionStateText(PartitionState state);

// An event kind's name as Event.kind carries it ("leader", "watchdog-stall", ...; "unspecified").
const char *eventKindName(EventKind kind);

} // namespace skiff::admin
