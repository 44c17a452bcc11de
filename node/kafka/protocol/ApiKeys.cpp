#include "kafka/protocol/ApiKeys.h"

#include <array>

namespace skiff::kafka {

namespace {

// `advertised`: the broker has a handler (an API the codec knows but nothing serves stays off).
constexpr std::array kApis = {
    ApiInfo{ApiKey::Produce, "Produce", 3, 9, 9, true},
    ApiInfo{ApiKey::Fetch, "Fetch", 4, 12, 12, true},
    ApiInfo{ApiKey::ListOffsets, "ListOffsets", 1, 10, 6, true},
    ApiInfo{ApiKey::Metadata, "Metadata", 0, 12, 9, true},
    ApiInfo{ApiKey::OffsetCommit, "OffsetCommit", 0, 8, 8, true},
    ApiInfo{ApiKey::OffsetFetch, "OffsetFetch", 0, 8, 6, true},
    ApiInfo{ApiKey::FindCoordinator, "FindCoordinator", 0, 4, 3, true},
    ApiInfo{ApiKey::JoinGroup, "JoinGroup", 0, 7, 6, true},
    ApiInfo{ApiKey::Heartbeat, "Heartbeat", 0, 4, 4, true},
    ApiInfo{ApiKey::LeaveGroup, "LeaveGroup", 0, 4, 4, true},
    ApiInfo{ApiKey::SyncGroup, "SyncGroup", 0, 5, 4, true},
    ApiInfo{ApiKey::DescribeGroups, "DescribeGroups", 0, 5, 5, true},
    ApiInfo{ApiKey::ListGroups, "ListGroups", 0, 5, 3, true},
    ApiInfo{ApiKey::SaslHandshake, "SaslHandshake", 0, 1, kNoFlexibleVersion, true},
    ApiInfo{ApiKey::ApiVersions, "ApiVersions", 0, 4, 3, true},
    ApiInfo{ApiKey::CreateTopics, "CreateTopics", 2, 7, 5, true},
    ApiInfo{ApiKey::DeleteTopics, "DeleteTopics", 1, 6, 4, true},
    ApiInfo{ApiKey::DeleteRecords, "DeleteRecords", 0, 2, 2, true},
    ApiInfo{ApiKey::InitProducerId, "InitProducerId", 0, 4, 2, true},
    ApiInfo{ApiKey::OffsetForLeaderEpoch, "OffsetForLeaderEpoch", 0, 4, 4, true},
    ApiInfo{ApiKey::DescribeAcls, "DescribeAcls", 0, 3, 2, true},
    ApiInfo{ApiKey::CreateAcls, "CreateAcls", 0, 3, 2, true},
    ApiInfo{ApiKey::DeleteAcls, "DeleteAcls", 0, 3, 2, true},
    ApiInfo{ApiKey::DescribeConfigs, "DescribeConfigs", 0, 4, 4, true},
    ApiInfo{ApiKey::AlterConfigs, "AlterConfigs", 0, 2, 2, true},
    ApiInfo{ApiKey::DescribeLogDirs, "DescribeLogDirs", 1, 4, 2, true},
    ApiInfo{ApiKey::SaslAuthenticate, "SaslAuthenticate", 0, 2, 2, true},
    ApiInfo{ApiKey::CreatePartitions, "CreatePartitions", 0, 3, 2, true},
    ApiInfo{ApiKey::DeleteGroups, "DeleteGroups", 0, 2, 2, true},
    ApiInfo{ApiKey::ElectLeaders, "ElectLeaders", 0, 2, 2, true},
    ApiInfo{ApiKey::IncrementalAlterConfigs, "IncrementalAlterConfigs", 0, 1, 1, true},
    ApiInfo{ApiKey::OffsetDelete, "OffsetDelete", 0, 0, kNoFlexibleVersion, true},
    ApiInfo{ApiKey::DescribeClientQuotas, "DescribeClientQuotas", 0, 1, 1, true},
    ApiInfo{ApiKey::AlterClientQuotas, "AlterClientQuotas", 0, 1, 1, true},
    ApiInfo{ApiKey::DescribeUserScramCredentials, "DescribeUserScramCredentials", 0, 0, 0, true},
    ApiInfo{ApiKey::AlterUserScramCredentials, "AlterUserScramCredentials", 0, 0, 0, true},
    ApiInfo{ApiKey::DescribeQuorum, "DescribeQuorum", 0, 2, 0, true},
    ApiInfo{ApiKey::DescribeCluster, "DescribeCluster", 0, 1, 0, true},
    ApiInfo{ApiKey::DescribeProducers, "DescribeProducers", 0, 0, 0, true},
};

} // namespace

std::span<const ApiInfo> allApis()
{
    return kApis;
}

const ApiInfo *findApi(int16_t apiKey)
{
    for (const ApiInfo &info : kApis)
        if (static_cast<int16_t>(info.key) == apiKey)
            return &info;
    return nullptr;
}

const char *apiKeyName(int16_t apiKey)
{
    const ApiInfo *info = findApi(apiKey);
    return info ? info->name : "Unknown";
}

bool isSupportedVersion(int16_t apiKey, int16_t version)
{
    const ApiInfo *info = findApi(apiKey);
    return info && version >= info->minVersion && version <= info->maxVersion;
}

int16_t firstFlexibleVersion(ApiKey key)
{
    const ApiInfo *info = findApi(key);
    return info ? info->firstFlexible : kNoFlexibleVersion;
}

int16_t requestHeaderVersion(ApiKey key, int16_t version)
{
    return isFlexible(key, version) ? 2 : 1;
}

int16_t responseHeaderVersion(ApiKey key, int16_t version)
{
    if (key == ApiKey::ApiVersions)
        return 0;
    return isFlexible(key, version) ? 1 : 0;
}

} // namespace skiff::kafka
