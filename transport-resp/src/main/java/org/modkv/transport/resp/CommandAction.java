package org.modkv.transport.resp;

import java.util.concurrent.CompletableFuture;

/**
 * What a command does. Runs on the connection's event loop after the command table has checked
 * the arity, so it must not block: it calls the kernel's non-blocking {@code RequestHandler}
 * and returns a future of the reply. It may throw or fail the future; the table turns any
 * failure into an error reply.
 */
@FunctionalInterface
interface CommandAction {
    CompletableFuture<RespReply> run(RespRequest request, ClientSession session);
}
