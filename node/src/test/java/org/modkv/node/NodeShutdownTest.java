package org.modkv.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * A node stops within a bounded time whoever asks and whatever runs meanwhile: no event loop
 * waits for a lock or a thread that is itself waiting for that event loop (docs/design/shutdown.md).
 * The transport is {@link EventLoopTransportProvider}, whose close needs its loop as a Netty
 * transport's does; every wait is bounded, so a deadlock fails the test instead of hanging it.
 */
class NodeShutdownTest {
    private static final long WAIT_SECONDS = 20;
    private static final String SHUTDOWN_LOGGER = "org.modkv.node.runtime.NodeShutdown";

    @TempDir
    Path dir;
    private final EventLoopTransportProvider transport = new EventLoopTransportProvider();
    private final MemoryStorageProvider storage = new MemoryStorageProvider();
    private final List<LogRecord> shutdownLog = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            shutdownLog.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ModkvNode node;

    @BeforeEach
    void captureShutdownLog() {
        Logger.getLogger(SHUTDOWN_LOGGER).addHandler(capture);
    }

    /** Closes the node on a thread of its own, waiting a bounded time: a deadlocked close fails the test, not the suite. */
    @AfterEach
    void stop() throws Exception {
        transport.releaseClose();
        if (node != null) {
            Thread closer = new Thread(node::close, "test-cleanup");
            closer.setDaemon(true);
            closer.start();
            closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(closer.isAlive(), "the node's close() returned");
        }
        Logger.getLogger(SHUTDOWN_LOGGER).removeHandler(capture);
    }

    private ModkvNode start(String... settings) throws IOException {
        Map<String, String> values = new HashMap<>(Map.of("data.dir", dir.toString(), "storage", "memory",
                "transports", "loop", "indexes", "", "metrics.listen", "off"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        node = ModkvNode.start(NodeOptions.of(values), List.of(storage, transport));
        return node;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static ErrorCode failureCode(CompletableFuture<?> write) {
        CompletionException e = assertThrows(CompletionException.class, write::join);
        return ((ModkvException) e.getCause()).code();
    }

    private void assertStopped() throws InterruptedException {
        assertTrue(node.awaitClosed(WAIT_SECONDS, TimeUnit.SECONDS), "the node stopped");
        assertTrue(transport.isClosed(), "the transport closed");
    }

    private String lastShutdownMessage() {
        assertFalse(shutdownLog.isEmpty(), "the stop was logged");
        return shutdownLog.get(shutdownLog.size() - 1).getMessage();
    }

    @Test
    void closingOnAnEventLoopReturnsAtOnceAndTheNodeStops() throws Exception {
        start();
        transport.onLoop(requests -> node.close()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertStopped();
        assertTrue(node.failure().isEmpty());
        assertTrue(lastShutdownMessage().contains("stopped"), lastShutdownMessage());
    }

    @Test
    void aSecondFatalErrorOnTheEventLoopWhileTheFatalStopClosesTheTransportDoesNotDeadlock() throws Exception {
        start();
        transport.onLoop(requests -> {
            CompletableFuture<Void> late = requests.put(bytes("held"), bytes("v"));
            assertEquals(ErrorCode.STORAGE_FAILURE, failureCode(requests.put(bytes("poison"), bytes("v"))));
            // The fatal stop now closes the transport, which waits for this loop; meanwhile a
            // second write fails here, as in the reported thread dump.
            assertTrue(transport.closeStarted().await(WAIT_SECONDS, TimeUnit.SECONDS), "the fatal stop began");
            storage.failHeldWrites();
            assertEquals(ErrorCode.STORAGE_FAILURE, failureCode(late));
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertStopped();
        assertTrue(node.failure().isPresent(), "the node reports why it stopped");
        assertEquals("node node1 stopped after a fatal storage error: fsync failed (injected)", lastShutdownMessage());
    }

    @Test
    void aFatalErrorOnTheEventLoopWhileAnotherThreadClosesTheNodeDoesNotDeadlock() throws Exception {
        start();
        CompletableFuture<Void> late = new CompletableFuture<>();
        transport.onLoop(requests -> requests.put(bytes("held"), bytes("v")).whenComplete((ok, failure) -> {
            if (failure != null) {
                late.completeExceptionally(failure);
            } else {
                late.complete(ok);
            }
        })).get(WAIT_SECONDS, TimeUnit.SECONDS);
        var fatalOnLoop = transport.onLoop(requests -> {
            assertTrue(transport.closeStarted().await(WAIT_SECONDS, TimeUnit.SECONDS), "the close began");
            storage.failHeldWrites(); // the held write's failure reaches the kernel on this loop
        });
        CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close, runnable -> {
            Thread thread = new Thread(runnable, "test-closer");
            thread.setDaemon(true);
            thread.start();
        });
        fatalOnLoop.get(WAIT_SECONDS, TimeUnit.SECONDS);
        closing.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertStopped();
        assertEquals(ErrorCode.STORAGE_FAILURE, failureCode(late));
        assertTrue(node.failure().isPresent(), "a fatal error during the stop is still reported");
    }

    @Test
    void closeIsIdempotentAndWaitsForTheStop() throws Exception {
        start();
        node.close();
        assertTrue(transport.isClosed(), "close returned after the transport closed");
        node.close();
        assertStopped();
        assertEquals("node node1 stopped", lastShutdownMessage());
    }

    @Test
    void aPartThatDoesNotCloseWithinTheBoundIsLoggedAndTheNodeStopsAnyway() throws Exception {
        start("node.shutdown.timeout.ms", "300");
        transport.holdClose();
        CompletableFuture.runAsync(node::close).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(node.awaitClosed(0, TimeUnit.SECONDS), "the node counts as stopped at the bound");
        assertFalse(transport.isClosed(), "the transport is still closing");
        LogRecord warning = shutdownLog.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst()
                .orElseThrow(() -> new AssertionError("no warning in " + shutdownLog));
        assertTrue(warning.getMessage().startsWith("node node1 did not stop within node.shutdown.timeout.ms=300; "
                + "stopping anyway. Not closed: transport 'loop' (closing), expiry sweeper, indexes, storage 'memory', "
                + "data-dir lock, "
                + "scheduler"), warning.getMessage());
        assertTrue(warning.getMessage().contains("The stop thread is at:"), warning.getMessage());
        assertEquals("node node1 stopped", lastShutdownMessage());
    }
}
