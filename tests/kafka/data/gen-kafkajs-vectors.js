// Regenerates kafkajs-requests.txt: request frames encoded by an independent client (kafkajs,
// `npm install kafkajs@2.2.4` in a scratch dir, then `NODE_PATH=<dir>/node_modules node
// gen-kafkajs-vectors.js > kafkajs-requests.txt`). InteropTest decodes each frame with Skiff's
// codec and re-encodes it byte for byte. Produce frames carry real record batches, whose
// timestamps depend on the clock; they are stored as generated.
const path = require('path')
const base = path.dirname(require.resolve('kafkajs/package.json'))
const frame = require(path.join(base, 'src/protocol/request'))
const req = (api, v) => require(path.join(base, 'src/protocol/requests', api, 'v' + v, 'request'))
const Long = require(path.join(base, 'src/utils/long'))

const cases = [
  ['ApiVersions', 0, req('apiVersions', 0)()],
  ['ApiVersions', 2, req('apiVersions', 2)()],
  ['Metadata', 0, req('metadata', 0)({ topics: ['alpha', 'beta'] })],
  ['Metadata', 4, req('metadata', 4)({ topics: [], allowAutoTopicCreation: false })], // kafkajs writes [] as null
  ['Metadata', 6, req('metadata', 6)({ topics: ['t'] })],
  ['Produce', 3, req('produce', 3)({ acks: -1, timeout: 30000, topicData: [{ topic: 'orders', partitions: [{ partition: 1, messages: [{ key: 'k', value: 'v', timestamp: 1700000000000 }] }] }] })],
  ['Produce', 7, req('produce', 7)({ acks: 1, timeout: 1000, transactionalId: 'tx-1', producerId: Long.fromNumber(42), producerEpoch: 3, topicData: [{ topic: 'a', partitions: [{ partition: 0, firstSequence: 5, messages: [{ value: 'x', timestamp: 1700000000000 }, { value: 'y', timestamp: 1700000000001 }] }] }] })],
  ['Fetch', 4, req('fetch', 4)({ replicaId: -1, maxWaitTime: 500, minBytes: 1, maxBytes: 1048576, isolationLevel: 1, topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: '12', maxBytes: 65536 }] }] })],
  ['Fetch', 7, req('fetch', 7)({ replicaId: -1, maxWaitTime: 500, minBytes: 1, maxBytes: 1048576, sessionId: 9, sessionEpoch: 2, topics: [{ topic: 'orders', partitions: [{ partition: 3, fetchOffset: '7', logStartOffset: '1', maxBytes: 1024 }] }], forgottenTopics: [{ topic: 'old', partitions: [1, 2] }] })],
  ['Fetch', 11, req('fetch', 11)({ replicaId: -1, maxWaitTime: 100, minBytes: 1, maxBytes: 500, rackId: 'rack-a', topics: [{ topic: 'x', partitions: [{ partition: 0, currentLeaderEpoch: 4, fetchOffset: '99', maxBytes: 100 }] }] })],
  ['ListOffsets', 1, req('listOffsets', 1)({ replicaId: -1, topics: [{ topic: 't', partitions: [{ partition: 0, timestamp: -2 }] }] })],
  ['ListOffsets', 3, req('listOffsets', 3)({ replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 2, timestamp: -1 }] }] })],
  ['CreateTopics', 2, req('createTopics', 2)({ topics: [{ topic: 'new', numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], validateOnly: true, timeout: 5000 })],
  ['CreateTopics', 3, req('createTopics', 3)({ topics: [{ topic: 'assigned', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }], timeout: 1000 })],
  ['DeleteTopics', 1, req('deleteTopics', 1)({ topics: ['a', 'b'], timeout: 2000 })],
  ['CreatePartitions', 0, req('createPartitions', 0)({ topicPartitions: [{ topic: 't', count: 6 }] })],
  ['CreatePartitions', 1, req('createPartitions', 1)({ topicPartitions: [{ topic: 't', count: 4, assignments: [[1], [2]] }], validateOnly: true, timeout: 100 })],
  ['DescribeConfigs', 0, req('describeConfigs', 0)({ resources: [{ type: 2, name: 't', configNames: ['retention.ms'] }] })],
  ['DescribeConfigs', 2, req('describeConfigs', 2)({ resources: [{ type: 4, name: '1', configNames: [] }], includeSynonyms: true })],
  ['InitProducerId', 0, req('initProducerId', 0)({ transactionalId: null, transactionTimeout: 60000 })],
  ['InitProducerId', 1, req('initProducerId', 1)({ transactionalId: 'tx', transactionTimeout: 1000 })],
  ['FindCoordinator', 0, req('findCoordinator', 0)({ groupId: 'g' })],
  ['FindCoordinator', 2, req('findCoordinator', 2)({ coordinatorKey: 'g', coordinatorType: 0 })],
  ['JoinGroup', 0, req('joinGroup', 0)({ groupId: 'g', sessionTimeout: 30000, memberId: '', protocolType: 'consumer', groupProtocols: [{ name: 'range', metadata: Buffer.from([0, 1, 2]) }] })],
  ['JoinGroup', 5, req('joinGroup', 5)({ groupId: 'g', sessionTimeout: 30000, rebalanceTimeout: 60000, memberId: 'm-1', groupInstanceId: 'i-1', protocolType: 'consumer', groupProtocols: [{ name: 'roundrobin' }] })],
  ['SyncGroup', 3, req('syncGroup', 3)({ groupId: 'g', generationId: 4, memberId: 'm', groupAssignment: [{ memberId: 'm', memberAssignment: Buffer.from('abc') }] })],
  ['Heartbeat', 3, req('heartbeat', 3)({ groupId: 'g', groupGenerationId: 4, memberId: 'm', groupInstanceId: null })],
  ['LeaveGroup', 0, req('leaveGroup', 0)({ groupId: 'g', memberId: 'm' })],
  ['LeaveGroup', 3, req('leaveGroup', 3)({ groupId: 'g', members: [{ memberId: 'm' }, { memberId: 'n', groupInstanceId: 'i' }] })],
  ['OffsetCommit', 2, req('offsetCommit', 2)({ groupId: 'g', groupGenerationId: 1, memberId: 'm', retentionTime: -1, topics: [{ topic: 't', partitions: [{ partition: 0, offset: '100' }] }] })],
  ['OffsetCommit', 5, req('offsetCommit', 5)({ groupId: 'g', groupGenerationId: 1, memberId: 'm', topics: [{ topic: 't', partitions: [{ partition: 1, offset: '5', metadata: 'md' }] }] })],
  ['OffsetFetch', 1, req('offsetFetch', 1)({ groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0 }, { partition: 1 }] }] })],
  ['OffsetFetch', 4, req('offsetFetch', 4)({ groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 2 }] }] })],
  ['DescribeGroups', 2, req('describeGroups', 2)({ groupIds: ['g1', 'g2'] })],
  ['ListGroups', 2, req('listGroups', 2)()],
  ['DeleteGroups', 1, req('deleteGroups', 1)(['g1'])],
]

;(async () => {
  let correlationId = 1
  for (const [name, version, request] of cases) {
    const encoded = await frame({ correlationId: correlationId++, clientId: 'kafkajs-vectors', request })
    // Drop the int32 size prefix: decodeRequest takes the frame after it.
    console.log(`${name} ${version} ${encoded.buffer.slice(4).toString('hex')}`)
  }
})()
