package org.modkv.transport.resp;

import java.util.concurrent.CompletableFuture;

/**
 * A command that must see its connection's unfinished writes (a pipelined GET after a SET
 * sees the SET, as in Redis), waiting in the connection's reply queue. It runs only once it is
 * first in line, the writes are done and the socket takes more replies, so a client that does
 * not read its replies cannot make the node read values for it beyond what the socket holds.
 * Completes with the command's reply. Started on the event loop; completes on any thread.
 */
final class DeferredCommand extends CompletableFuture<RespReply> {
    private final ResolvedCommand command;
    private final RespRequest request;
    private final CompletableFuture<?> earlierWrites;
    private boolean started;

    DeferredCommand(ResolvedCommand command, RespRequest request, CompletableFuture<?> earlierWrites) {
        this.command = command;
        this.request = request;
        this.earlierWrites = earlierWrites;
    }

    ResolvedCommand command() {
        return command;
    }

    RespRequest request() {
        return request;
    }

    /** Whether it has not run yet and the writes it waits for are done (failed ones too). */
    boolean readyToRun() {
        return !started && earlierWrites.isDone();
    }

    /** It runs now: completes as {@code reply} does. */
    void ran(CompletableFuture<RespReply> reply) {
        started = true;
        reply.whenComplete((value, failure) -> {
            if (failure != null) {
                completeExceptionally(failure);
            } else {
                complete(value);
            }
        });
    }
}
