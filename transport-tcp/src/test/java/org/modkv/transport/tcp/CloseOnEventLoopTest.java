package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.modkv.client.ClientOptions;
import org.modkv.client.ModkvClient;
import org.modkv.testkit.transport.InMemoryRequestHandler;

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
        closeOnTheEventLoop(Map.of());
    }

    @Test
    void closingOnItsOwnEventLoopWithAPeerNetworkReturnsAndTheTransportStops() throws Exception {
        int peerPort = PeerNodes.freePort();
        closeOnTheEventLoop(Map.of("tcp.peers", "test-node=127.0.0.1:" + peerPort + ",n2=127.0.0.1:"
                + PeerNodes.freePort(), "tcp.peer.listen", "127.0.0.1:" + peerPort));
    }

    @Test
    void closingFromAnotherThreadReturnsOnceItsThreadsHaveEnded() throws Exception {
        TcpTransport transport = start(TcpTestContexts.handler(), Map.of());
        try (ModkvClient client = ModkvClient.connect(transport.endpoints().get(0).hostPort())) {
            client.put("k", "v");
            transport.close();
            assertTrue(transport.threadsEnded(), "close() waited for the event loops to end");
        }
    }

    private static TcpTransport start(InMemoryRequestHandler handler, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("tcp.io.threads", "2"));
        settings.putAll(extra);
        return (TcpTransport) new TcpTransportProvider().start(TcpTestContexts.context(settings, handler));
    }

    private static void closeOnTheEventLoop(Map<String, String> extra) throws Exception {
        InMemoryRequestHandler handler = TcpTestContexts.handler();
        TcpTransport transport = start(handler, extra);
        CompletableFuture<Boolean> ownThread = new CompletableFuture<>();
        CompletableFuture<Void> closeReturned = new CompletableFuture<>();
        handler.onPut(() -> {
            if (ownThread.complete(transport.ownsCurrentThread())) {
                transport.close();
                closeReturned.complete(null);
            }
        });
        ClientOptions options = ClientOptions.defaults(transport.endpoints().get(0).hostPort())
                .withRequestTimeout(Duration.ofSeconds(WAIT_SECONDS));
        try (ModkvClient client = ModkvClient.connect(options)) {
            CompletableFuture.runAsync(() -> client.put("k", "v")); // its reply may never come
            assertTrue(ownThread.get(WAIT_SECONDS, TimeUnit.SECONDS), "the put ran on one of the transport's threads");
            closeReturned.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(transport.ownsCurrentThread(), "the test thread is not the transport's");
            awaitThreadsEnded(transport);
        } finally {
            transport.close();
        }
    }

    private static void awaitThreadsEnded(TcpTransport transport) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!transport.threadsEnded() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(transport.threadsEnded(), "the event loops ended within " + WAIT_SECONDS + " s of the close");
    }
}
