package org.modkv.api;

/** Why a request failed; transports map these onto their wire's error forms. */
public enum ErrorCode {
    /** The request is malformed or breaks a limit; the message says which and what is allowed. */
    INVALID_REQUEST,
    /** A key, value, batch or frame is larger than the configured limit. */
    TOO_LARGE,
    /** The node cannot take more work now (a full buffer, too many connections); retry later. */
    OVERLOADED,
    /** The query names an index this node does not run. */
    NO_SUCH_INDEX,
    /**
     * The index cannot answer correctly now: it is rebuilding after a failure, still catching up
     * at start-up, or did not catch up with the query's read barrier in time. Retry, or ask with
     * stale freshness.
     */
    INDEX_NOT_READY,
    /** This node cannot serve the request; the message names the leader when it is known. */
    NOT_LEADER,
    /** Not enough replicas or peers answered in time. */
    UNAVAILABLE,
    /** Storage failed; the node stops accepting writes because durability can no longer be promised. */
    STORAGE_FAILURE,
    /**
     * Stored data failed its checksum: the disk (or something below it) returned other bytes than
     * were written. The message names the file and byte offset; no value is returned. The node
     * keeps serving other keys; the damaged data must be restored from a replica or a backup.
     */
    STORAGE_CORRUPT,
    /**
     * The replication plugin cannot decide conditional writes (compare-and-set, NX/XX, WATCH,
     * counters): it has no single order of writes to decide them in. The message names it.
     */
    CONDITIONS_UNSUPPORTED,
    /** The node is shutting down. */
    SHUTTING_DOWN,
    /** A bug: anything else. */
    INTERNAL
}
