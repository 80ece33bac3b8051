package org.modkv.api.replication;

import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a node's replication state.
 *
 * @param role this node's role
 * @param leaderId the leader's node id, when the model has one and it is known
 * @param details plugin-specific figures (term, commit index, peers...), in a stable order
 */
public record ReplicationStatus(ReplicationRole role, Optional<String> leaderId, Map<String, Object> details) {
    public ReplicationStatus {
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
