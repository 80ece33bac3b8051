package org.modkv.api.transport;

import org.modkv.api.replication.ReplicationStatus;

/**
 * What a node says about itself (INFO, stats).
 *
 * @param nodeId this node's id
 * @param replication role and leader
 * @param keys live keys in local storage
 */
public record NodeStatus(String nodeId, ReplicationStatus replication, long keys) {
}
