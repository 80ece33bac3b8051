package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} asked on one of the transport's own event loops (as a node's stop may be
 * asked from a request handler) starts the close and returns: it never waits for the loop it
 * runs on, which could not finish while it waits. The loops then end by themselves. Every wait
 * here is bounded, so a close that waits for its own loop fails the test instead of hanging it.
 */
class CloseOnEventLoopTest {
    private static final long WAIT_SECONDS = 20;

    @Test
    void closingOnItsOwnEventLoopReturnsAndTheTransportStops() throws Exception {
        try (RespFixture resp = RespFixture.start(Map.of("resp.io.threads", "2")); RawClient client = resp.raw()) {
            CompletableFuture<Boolean> ownThread = new CompletableFuture<>();
            CompletableFuture<Void> closeReturned = new CompletableFuture<>();
            resp.kernel.onPut(() -> {
                if (ownThread.complete(resp.server.ownsCurrentThread())) {
                    resp.server.close();
                    closeReturned.complete(null);
                }
            });
            client.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
            assertTrue(ownThread.get(WAIT_SECONDS, TimeUnit.SECONDS), "SET ran on one of the transport's threads");
            closeReturned.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(resp.server.ownsCurrentThread(), "the test thread is not the transport's");
            assertConnectionCloses(client);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!resp.server.threadsEnded() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(resp.server.threadsEnded(), "the event loops ended within " + WAIT_SECONDS + " s of the close");
        }
    }

    @Test
    void closingFromAnotherThreadReturnsOnceTheConnectionsAndThreadsHaveEnded() throws Exception {
        try (RespFixture resp = RespFixture.start(); RawClient client = resp.raw()) {
            client.send("PING\r\n");
            client.line();
            resp.server.close();
            assertTrue(resp.server.threadsEnded(), "close() waited for the event loops to end");
            assertConnectionCloses(client);
        }
    }

    /** Reads until the server closes the connection (the reply to what was sent may come first). */
    private static void assertConnectionCloses(RawClient client) {
        try {
            for (int lines = 0; lines < 10; lines++) {
                client.line();
            }
            fail("the connection stayed open");
        } catch (EOFException | SocketException closed) {
            // closed by the server
        } catch (IOException e) {
            fail("the connection did not close: " + e);
        }
    }
}
