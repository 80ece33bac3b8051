package org.modkv.replication.raft;

/**
 * A client write that has been committed and decided: its log index (the version its puts carry),
 * local storage sequence, and whether its conditions held and it was applied.
 */
record Committed(long index, long sequence, boolean applied) {
}
