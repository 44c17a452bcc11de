#pragma once
// Kafka API keys, the versions Skiff's codec handles, and which header versions go with them.

#include <cstdint>
#include <optional>
#include <span>

namespace skiff::kafka {

enum class ApiKey : int16_t {
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    DescribeGroups = 15,
    ListGroups = 16,
    SaslHandshake = 17,
    ApiVersions = 18,
    CreateTopics = 19,
    DeleteTopics = 20,
    DeleteRecords = 21,
    InitProducerId = 22,
    OffsetForLeaderEpoch = 23,
    DescribeAcls = 29,
    CreateAcls = 30,
    DeleteAcls = 31,
    DescribeConfigs = 32,
    AlterConfigs = 33,
    DescribeLogDirs = 35,
    SaslAuthenticate = 36,
    CreatePartitions = 37,
    DeleteGroups = 42,
    ElectLeaders = 43,
    IncrementalAlterConfigs = 44,
    OffsetDelete = 47,
    DescribeClientQuotas = 48,
    AlterClientQuotas = 49,
    DescribeUserScramCredentials = 50,
    AlterUserScramCredentials = 51,
    DescribeQuorum = 55,
    DescribeCluster = 60,
    DescribeProducers = 61,
};

inline constexpr int16_t kNoFlexibleVersion = INT16_MAX;

struct ApiInfo {
    ApiKey key;
    const char *name;
    int16_t minVersion;       // range the codec decodes and encodes
    int16_t maxVersion;
    int16_t firstFlexible;    // kNoFlexibleVersion when the API has no flexible version
    bool advertised;          // listed in ApiVersions responses (false until the broker handles it)
};

// Every API the codec knows, ordered by key.
std::span<const ApiInfo> allApis();
// nullptr for keys the codec does not know.
const ApiInfo *findApi(int16_t apiKey);
inline const ApiInfo *findApi(ApiKey key) { return findApi(static_cast<int16_t>(key)); }

const char *apiKeyName(int16_t apiKey); // "Metadata"; "Unknown" for unknown keys
bool isSupportedVersion(int16_t apiKey, int16_t version);
int16_t firstFlexibleVersion(ApiKey key);
inline bool isFlexible(ApiKey key, int16_t version) { return version >= firstFlexibleVersion(key); }

// Request header v1 (client id) or v2 (client id + tagged fields). None of the supported APIs
// uses header v0 (that was only ControlledShutdown v0).
int16_t requestHeaderVersion(ApiKey key, int16_t version);
// Response header v0 (correlation id) or v1 (+ tagged fields). ApiVersions responses always use
// v0 so that a client can read the answer before it knows which versions the broker speaks.
int16_t responseHeaderVersion(ApiKey key, int16_t version);

} // namespace skiff::kafka
