package org.modkv.storage.wal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Work that must run on the group-commit agent's thread, in order with the writes around it:
 * opening, truncating and closing durable logs. The agent runs a command between two groups
 * (everything offered before it is written, fsync'd and completed first) and completes
 * {@link #done()}. An {@link IOException} fails the command and stops the engine's writes, like
 * a failed fsync.
 */
abstract class AgentCommand {
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Runs on the agent thread. */
    abstract void run() throws IOException;

    CompletableFuture<Void> done() {
        return done;
    }
}
