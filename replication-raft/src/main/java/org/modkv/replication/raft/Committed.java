package org.modkv.replication.raft;

/** A client write that has been committed and applied: its log index and local storage sequence. */
record Committed(long index, long sequence) {
}
