// Maps API keys to their handlers.
import { handleCreatePartitions, handleCreateTopics, handleDeleteTopics, handleDescribeConfigs } from '../handlers/admin';
import { handleApiVersions } from '../handlers/api-versions';
import { ApiHandler } from '../handlers/context';
import { handleFetch } from '../handlers/fetch';
import {
  handleDeleteGroups,
  handleDescribeGroups,
  handleFindCoordinator,
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleListGroups,
  handleSyncGroup,
} from '../handlers/groups';
import { handleInitProducerId } from '../handlers/init-producer-id';
import { handleListOffsets } from '../handlers/list-offsets';
import { handleMetadata } from '../handlers/metadata';
import { handleOffsetCommit, handleOffsetFetch } from '../handlers/offsets';
import { handleProduce } from '../handlers/produce';
import { handleSaslAuthenticate } from '../handlers/sasl-authenticate';
import { handleSaslHandshake } from '../handlers/sasl-handshake';
import { ApiKey } from '../protocol/api';

export const HANDLERS: ReadonlyMap<number, ApiHandler> = new Map<number, ApiHandler>([
  [ApiKey.Produce, handleProduce],
  [ApiKey.Fetch, handleFetch],
  [ApiKey.ListOffsets, handleListOffsets],
  [ApiKey.Metadata, handleMetadata],
  [ApiKey.OffsetCommit, handleOffsetCommit],
  [ApiKey.OffsetFetch, handleOffsetFetch],
  [ApiKey.FindCoordinator, handleFindCoordinator],
  [ApiKey.JoinGroup, handleJoinGroup],
  [ApiKey.Heartbeat, handleHeartbeat],
  [ApiKey.LeaveGroup, handleLeaveGroup],
  [ApiKey.SyncGroup, handleSyncGroup],
  [ApiKey.DescribeGroups, handleDescribeGroups],
  [ApiKey.ListGroups, handleListGroups],
  [ApiKey.SaslHandshake, handleSaslHandshake],
  [ApiKey.ApiVersions, handleApiVersions],
  [ApiKey.CreateTopics, handleCreateTopics],
  [ApiKey.DeleteTopics, handleDeleteTopics],
  [ApiKey.InitProducerId, handleInitProducerId],
  [ApiKey.SaslAuthenticate, handleSaslAuthenticate],
  [ApiKey.DescribeConfigs, handleDescribeConfigs],
  [ApiKey.CreatePartitions, handleCreatePartitions],
  [ApiKey.DeleteGroups, handleDeleteGroups],
]);
