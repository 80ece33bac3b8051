package org.modkv.distribution.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.replication.Consistency;
import org.modkv.client.ClientOptions;
import org.modkv.client.ModkvClient;
import org.modkv.node.ModkvNode;
import org.modkv.node.NodeOptions;
import redis.clients.jedis.Jedis;

/**
 * A node with the real {@code resp} and {@code tcp} transports stops within a bounded time when
 * its stop is asked for on one of their event loops, or when an event loop reports a fatal
 * storage error while another thread closes the node (the deadlock of issue 22: the closing
 * thread waited for the event loop, which waited for the closing thread's lock). Storage is
 * {@link ScriptedStorageProvider}, whose writes run test code on the event loop. Every wait is
 * bounded, so a deadlock fails the test instead of hanging it.
 */
class NodeShutdownOnEventLoopTest {
    private static final long WAIT_SECONDS = 20;

    /** How a test reaches the node. */
    private enum Protocol { RESP, TCP }

    @TempDir
    Path dir;
    private final ScriptedStorageProvider storage = new ScriptedStorageProvider();
    private ModkvNode node;

    private ModkvNode start() throws Exception {
        node = ModkvNode.start(NodeOptions.of(Map.of("data.dir", dir.toString(), "storage", "scripted",
                        "transports", "tcp,resp", "tcp.listen", "127.0.0.1:0", "resp.listen", "127.0.0.1:0",
                        "tcp.io.threads", "2", "resp.io.threads", "2", "metrics.listen", "off")),
                List.of(storage)); // the transports are found on the test module path, as in the distribution
        return node;
    }

    /** Closes the node on a thread of its own, waiting a bounded time: a deadlocked close fails the test, not the suite. */
    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            Thread closer = new Thread(node::close, "test-cleanup");
            closer.setDaemon(true);
            closer.start();
            closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(closer.isAlive(), "the node's close() returned");
        }
    }

    /** Sends a SET (or a tcp put) of {@code key} without waiting for its reply, which may never come. */
    private void writeInBackground(Protocol protocol, String key) {
        String address = node.endpoints().stream().filter(e -> e.name().equals(protocol.name().toLowerCase()))
                .findFirst().orElseThrow().hostPort();
        Thread writer = new Thread(() -> {
            int colon = address.lastIndexOf(':');
            if (protocol == Protocol.RESP) {
                try (Jedis jedis = new Jedis(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
                        (int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS))) {
                    jedis.set(key, "v");
                } catch (RuntimeException e) {
                    // the node stops meanwhile
                }
            } else {
                try (ModkvClient client = ModkvClient.connect(ClientOptions.defaults(address)
                        .withRequestTimeout(Duration.ofSeconds(WAIT_SECONDS)))) {
                    client.put(key, "v");
                } catch (RuntimeException e) {
                    // the node stops meanwhile
                }
            }
        }, "writer-" + key);
        writer.setDaemon(true);
        writer.start();
    }

    private void closeFromTheEventLoop(Protocol protocol) throws Exception {
        start();
        CompletableFuture<String> closedOn = new CompletableFuture<>();
        storage.onWrite(key -> {
            if (key.equals("close") && !closedOn.isDone()) {
                node.close();
                closedOn.complete(Thread.currentThread().getName());
            }
        });
        writeInBackground(protocol, "close");
        String thread = closedOn.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(thread.startsWith("modkv-" + protocol.name().toLowerCase() + "-io"),
                "close() was called on the event loop, not on " + thread);
        assertTrue(node.awaitClosed(WAIT_SECONDS, TimeUnit.SECONDS), "the node stopped");
        assertTrue(node.failure().isEmpty());
    }

    @Test
    void closingTheNodeFromARespEventLoopStopsIt() throws Exception {
        closeFromTheEventLoop(Protocol.RESP);
    }

    @Test
    void closingTheNodeFromATcpEventLoopStopsIt() throws Exception {
        closeFromTheEventLoop(Protocol.TCP);
    }

    /**
     * A write is held in storage; another write blocks its event loop until a test thread has
     * begun closing the node, then fails the held write there, so the loop reports a fatal
     * error while the close waits for that loop.
     */
    private void fatalErrorOnTheEventLoopWhileClosing(Protocol protocol) throws Exception {
        start();
        CompletableFuture<Void> loopReturned = new CompletableFuture<>();
        CountDownLatch blocking = new CountDownLatch(1);
        storage.onWrite(key -> {
            if (!key.equals("block")) {
                return;
            }
            blocking.countDown();
            try {
                awaitShuttingDown();
                storage.failHeldWrites(); // the held write fails here: a fatal error on this loop
                loopReturned.complete(null);
            } catch (Throwable e) {
                loopReturned.completeExceptionally(e);
            }
        });
        CompletableFuture<Void> held = node.requests().put(bytes("hold:1"), bytes("v"));
        writeInBackground(protocol, "block");
        assertTrue(blocking.await(WAIT_SECONDS, TimeUnit.SECONDS), "the blocking write reached storage");
        CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close, runnable -> {
            Thread closer = new Thread(runnable, "test-closer");
            closer.setDaemon(true);
            closer.start();
        });
        loopReturned.get(WAIT_SECONDS, TimeUnit.SECONDS);
        closing.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(node.awaitClosed(WAIT_SECONDS, TimeUnit.SECONDS), "the node stopped");
        CompletionException failed = assertThrows(CompletionException.class, held::join);
        assertEquals(ErrorCode.STORAGE_FAILURE, ((ModkvException) failed.getCause()).code());
        assertTrue(node.failure().isPresent(), "the fatal error during the stop is reported");
    }

    @Test
    void aFatalErrorOnTheRespEventLoopWhileTheNodeClosesDoesNotDeadlock() throws Exception {
        fatalErrorOnTheEventLoopWhileClosing(Protocol.RESP);
    }

    @Test
    void aFatalErrorOnTheTcpEventLoopWhileTheNodeClosesDoesNotDeadlock() throws Exception {
        fatalErrorOnTheEventLoopWhileClosing(Protocol.TCP);
    }

    @Test
    void aFatalErrorOnTheRespEventLoopStopsTheNodeByItself() throws Exception {
        start();
        writeInBackground(Protocol.RESP, "fail:1");
        assertTrue(node.awaitClosed(WAIT_SECONDS, TimeUnit.SECONDS), "the node stopped by itself");
        assertEquals("fsync failed (injected)", node.failure().orElseThrow().getMessage());
    }

    /** Waits (bounded) until the node refuses requests: a close has begun. */
    private void awaitShuttingDown() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                node.requests().get(bytes("probe"), Consistency.DEFAULT).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof ModkvException m && m.code() == ErrorCode.SHUTTING_DOWN) {
                    return;
                }
                throw e;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no close began within " + WAIT_SECONDS + " s");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
