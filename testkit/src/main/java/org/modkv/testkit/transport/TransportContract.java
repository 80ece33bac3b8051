package org.modkv.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.RequestLimits;
import org.modkv.api.transport.RequestOperation;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportProvider;
import org.modkv.testkit.TestTransportContext;

/**
 * The transport conformance suite: what every {@link TransportProvider} does, driven through
 * the SPI (started by its provider on a {@link TestTransportContext} over an
 * {@link InMemoryRequestHandler}, as the kernel starts it) and a client of its own protocol (a
 * {@link TransportProbe}). A transport's test class extends it:
 *
 * <pre>{@code
 * class MyTransportContractTest extends TransportContract {
 *     protected TransportProvider provider() { return new MyTransportProvider(); }
 *     protected Map<String, String> listenOn(String hostPort) { return Map.of("my.listen", hostPort); }
 *     protected Map<String, String> maxFrameBytes(int bytes) { return Map.of("my.max.frame.bytes", "" + bytes); }
 *     protected String endpointName() { return "my"; }
 *     protected TransportProbe connect(InetSocketAddress address) throws IOException { ... }
 * }
 * }</pre>
 *
 * <p>What it checks: start binds 127.0.0.1 on an ephemeral port and reports it as an
 * {@link Endpoint} with the real port; an address in use fails start with an
 * {@link IOException} that names it; requests reach the context's handler and its answers
 * reach the client, byte for byte; a kernel error reaches the client with its message, and
 * the connection goes on; a write past the handler's {@link RequestLimits} is refused and the
 * connection goes on; a frame past the transport's own limit is refused before the handler;
 * clients on many connections at once are each answered; writes that storage completes only at
 * {@code endOfBurst} are answered (a transport that calls it keeps calling it); each served
 * request is reported once to the context's latency recorder under its
 * {@link RequestOperation}, errors marked; {@link Transport#stats()} holds numbers and strings
 * in a stable order; {@link Transport#close()} ends open connections, frees the port, and may
 * be called again.
 *
 * <p>Tests assert outcomes only; every wait is bounded ({@value #WAIT_SECONDS} s).
 */
public abstract class TransportContract {
    /** Upper bound of every wait; a guard against hangs only. */
    protected static final long WAIT_SECONDS = 30;

    /** The handler's limits: small, so that the suite can exceed them cheaply. */
    protected static final RequestLimits LIMITS = new RequestLimits(256, 64 * 1024, 256 * 1024, 100);

    /** The node id of the contexts the suite starts transports with. */
    protected static final String NODE_ID = "contract-node";

    private final InMemoryRequestHandler kernel = new InMemoryRequestHandler(NODE_ID, LIMITS);
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestTransportContext context;

    /** For subclasses; JUnit creates one instance per test. */
    protected TransportContract() {
    }

    /** The provider under test; a new instance each call is fine. */
    protected abstract TransportProvider provider();

    /** Raw config that makes the transport listen for clients on {@code hostPort}, e.g. {@code 127.0.0.1:0}. */
    protected abstract Map<String, String> listenOn(String hostPort);

    /** Raw config that limits one request on the wire (a frame, a bulk string) to {@code bytes} (at most 1 KiB). */
    protected abstract Map<String, String> maxFrameBytes(int bytes);

    /** The name of the endpoint clients connect to, e.g. {@code tcp}. */
    protected abstract String endpointName();

    /** A new connection to {@code address}, speaking the transport's protocol. */
    protected abstract TransportProbe connect(InetSocketAddress address) throws IOException;

    /**
     * Whether the transport calls {@code RequestHandler.endOfBurst()} after its passes with
     * writes; if not, the end-of-burst test is skipped.
     */
    protected boolean callsEndOfBurst() {
        return true;
    }

    // ---------------------------------------------------------------- lifecycle and helpers

    @AfterEach
    public final void closeEverythingOpened() throws Exception {
        Exception first = null;
        for (AutoCloseable each : open) {
            try {
                each.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The handler every transport of the test sends its requests to. */
    protected final InMemoryRequestHandler kernel() {
        return kernel;
    }

    /** The context of the transport started last. */
    protected final TestTransportContext context() {
        return context;
    }

    /** Starts a transport listening on 127.0.0.1, on a free port, with {@code config} over that. */
    protected final Transport start(Map<String, String> config) throws IOException {
        return startOn("127.0.0.1:0", config);
    }

    /** Starts a transport listening on {@code hostPort}; closed after the test. */
    protected final Transport startOn(String hostPort, Map<String, String> config) throws IOException {
        Map<String, String> values = new HashMap<>(config);
        values.putAll(listenOn(hostPort));
        TestTransportContext started = TestTransportContext.forPlugin(provider(), NODE_ID, values, kernel);
        open.add(started);
        context = started;
        Transport transport = provider().start(started);
        open.add(0, transport);
        return transport;
    }

    /** The address of {@code transport}'s client endpoint. */
    protected final InetSocketAddress clientAddress(Transport transport) {
        List<Endpoint> named = transport.endpoints().stream().filter(e -> e.name().equals(endpointName())).toList();
        assertEquals(1, named.size(), "one endpoint named " + endpointName() + " in " + transport.endpoints());
        return named.get(0).address();
    }

    /** A connection to {@code transport}; closed after the test. */
    protected final TransportProbe probe(Transport transport) throws IOException {
        TransportProbe probe = connect(clientAddress(transport));
        open.add(0, probe);
        return probe;
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits, at most {@value #WAIT_SECONDS} s, until {@code condition} holds; whether it does. */
    protected static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    // ---------------------------------------------------------------- start and endpoints

    @Test
    public void startListensOnTheLoopbackAddressAndReportsTheRealPort() throws IOException {
        Transport transport = start(Map.of());
        InetSocketAddress address = clientAddress(transport);

        assertEquals("127.0.0.1", address.getHostString());
        assertTrue(address.getPort() > 0, "port 0 is replaced by the bound one: " + address);
        for (Endpoint endpoint : transport.endpoints()) {
            assertFalse(endpoint.name().isBlank(), transport.endpoints().toString());
            assertTrue(endpoint.address().getPort() > 0, endpoint.toString());
        }
        assertEquals(Optional.empty(), probe(transport).get(bytes("absent")), "it answers on that address");
    }

    @Test
    public void startOnAnAddressInUseFailsWithAnIoExceptionNamingIt() throws IOException {
        Transport first = start(Map.of());
        String taken = "127.0.0.1:" + clientAddress(first).getPort();

        IOException e = assertThrows(IOException.class, () -> startOn(taken, Map.of()));
        assertTrue(e.getMessage() != null && e.getMessage().contains(taken), "names the address: " + e.getMessage());
        assertEquals(Optional.empty(), probe(first).get(bytes("absent")), "the first transport still serves");
    }

    // ---------------------------------------------------------------- requests

    @Test
    public void requestsReachTheHandlerAndItsAnswersReachTheClientByteForByte() throws IOException {
        TransportProbe client = probe(start(Map.of()));
        byte[] key = new byte[256];
        byte[] value = new byte[1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
            key[i % key.length] = (byte) (255 - i % key.length);
        }

        client.put(key, value);
        assertArrayEquals(value, kernel.stored(key).orElseThrow(), "the put reached the handler");
        assertArrayEquals(value, client.get(key).orElseThrow());
        kernel.put(bytes("from-kernel"), new byte[0]);
        assertArrayEquals(new byte[0], client.get(bytes("from-kernel")).orElseThrow(), "an empty value is a value");
        assertEquals(Optional.empty(), client.get(bytes("absent")));
        assertTrue(client.delete(key));
        assertFalse(client.delete(key));
        assertEquals(Optional.empty(), kernel.stored(key));
    }

    @Test
    public void aKernelErrorReachesTheClientWithItsMessageAndTheConnectionGoesOn() throws IOException {
        TransportProbe client = probe(start(Map.of()));

        kernel.failNext(ErrorCode.OVERLOADED, "write buffer full; retry later");
        TransportProbe.ErrorReply overloaded = assertThrows(TransportProbe.ErrorReply.class,
                () -> client.put(bytes("k"), bytes("v")));
        assertTrue(overloaded.getMessage().contains("write buffer full; retry later"), overloaded.getMessage());
        kernel.failNext(ErrorCode.NOT_LEADER, "this node is not the leader; the leader is n2");
        TransportProbe.ErrorReply notLeader = assertThrows(TransportProbe.ErrorReply.class,
                () -> client.get(bytes("k")));
        assertTrue(notLeader.getMessage().contains("the leader is n2"), notLeader.getMessage());

        client.put(bytes("k"), bytes("still works"));
        assertArrayEquals(bytes("still works"), client.get(bytes("k")).orElseThrow());
    }

    @Test
    public void writesPastTheRequestLimitsAreRefusedAndTheConnectionGoesOn() throws IOException {
        TransportProbe client = probe(start(Map.of()));

        TransportProbe.ErrorReply value = assertThrows(TransportProbe.ErrorReply.class,
                () -> client.put(bytes("big"), new byte[LIMITS.maxValueBytes() + 1]));
        assertTrue(value.getMessage().contains(Integer.toString(LIMITS.maxValueBytes())), value.getMessage());
        assertThrows(TransportProbe.ErrorReply.class,
                () -> client.put(new byte[LIMITS.maxKeyBytes() + 1], bytes("v")));
        assertEquals(Optional.empty(), kernel.stored(bytes("big")));

        client.put(bytes("big"), new byte[LIMITS.maxValueBytes()]);
        assertEquals(LIMITS.maxValueBytes(), client.get(bytes("big")).orElseThrow().length, "up to the limit is fine");
    }

    @Test
    public void aRequestPastTheTransportsFrameLimitIsRefusedBeforeTheHandler() throws IOException {
        Transport transport = start(maxFrameBytes(1024));
        TransportProbe client = probe(transport);

        assertThrows(Exception.class, () -> client.put(bytes("huge"), new byte[4096]),
                "refused with an error reply or by closing the connection");
        assertEquals(Optional.empty(), kernel.stored(bytes("huge")), "it never reached the handler");
        TransportProbe another = probe(transport);
        another.put(bytes("small"), new byte[100]);
        assertEquals(100, another.get(bytes("small")).orElseThrow().length, "the transport serves on");
    }

    @Test
    public void clientsOnManyConnectionsAtOnceAreEachAnswered() throws Exception {
        Transport transport = start(Map.of());
        int clients = 4;
        int perClient = 100;
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                TransportProbe client = probe(transport);
                String prefix = "c" + c + "-";
                done.add(threads.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        client.put(bytes(prefix + i), bytes("value " + prefix + i));
                        assertArrayEquals(bytes("value " + prefix + i), client.get(bytes(prefix + i)).orElseThrow());
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(clients * perClient, kernel.status().keys());
    }

    @Test
    public void pipelinedWritesThatStorageCompletesAtTheEndOfABurstAreAnswered() throws Exception {
        assumeTrue(callsEndOfBurst(), "the transport does not call endOfBurst");
        TransportProbe client = probe(start(Map.of()));
        kernel.holdWritesUntilEndOfBurst(true);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(bytes("k" + i));
            values.add(bytes("v" + i));
        }

        client.put(bytes("one"), bytes("1"));
        client.putPipelined(keys, values);
        assertArrayEquals(bytes("v199"), client.get(bytes("k199")).orElseThrow());
        List<String> threads = kernel.endOfBurstThreads();
        assertFalse(threads.isEmpty());
        assertFalse(threads.contains(Thread.currentThread().getName()), "called on the transport's threads: " + threads);
    }

    @Test
    public void eachServedRequestIsReportedOnceUnderItsOperation() throws Exception {
        TransportProbe client = probe(start(Map.of()));
        client.put(bytes("k"), bytes("v"));
        client.get(bytes("k"));
        client.delete(bytes("k"));
        kernel.failNext(ErrorCode.OVERLOADED, "retry later");
        assertThrows(TransportProbe.ErrorReply.class, () -> client.put(bytes("k"), bytes("v")));

        RecordedLatencies latencies = context().latencies();
        assertTrue(eventually(() -> latencies.of(RequestOperation.PUT).size() >= 2
                && latencies.of(RequestOperation.GET).size() >= 1 && latencies.of(RequestOperation.DELETE).size() >= 1),
                latencies.all().toString());
        assertEquals(2, latencies.of(RequestOperation.PUT).size(), latencies.all().toString());
        assertEquals(1, latencies.of(RequestOperation.PUT).stream().filter(RecordedLatencies.Served::failed).count(),
                "the refused put is marked failed: " + latencies.all());
        assertEquals(1, latencies.of(RequestOperation.GET).size(), latencies.all().toString());
        assertEquals(1, latencies.of(RequestOperation.DELETE).size(), latencies.all().toString());
        assertTrue(latencies.all().stream().allMatch(served -> served.nanos() >= 0), latencies.all().toString());
    }

    @Test
    public void statsAreNumbersOrStringsInAStableOrder() throws IOException {
        Transport transport = start(Map.of());
        probe(transport).put(bytes("k"), bytes("v"));

        Map<String, Object> stats = transport.stats();
        for (Map.Entry<String, Object> figure : stats.entrySet()) {
            assertTrue(figure.getValue() instanceof Number || figure.getValue() instanceof String,
                    figure.getKey() + " = " + figure.getValue());
        }
        assertEquals(List.copyOf(stats.keySet()), List.copyOf(transport.stats().keySet()), "same names, same order");
    }

    // ---------------------------------------------------------------- close

    @Test
    public void closeEndsOpenConnectionsAndFreesThePort() throws Exception {
        Transport transport = start(Map.of());
        String address = "127.0.0.1:" + clientAddress(transport).getPort();
        TransportProbe client = probe(transport);
        client.put(bytes("k"), bytes("v"));

        transport.close();
        assertThrows(Exception.class, () -> client.get(bytes("k")), "the connection was closed");
        Transport again = startOn(address, Map.of());
        assertArrayEquals(bytes("v"), probe(again).get(bytes("k")).orElseThrow(), "a new transport on the same port");
    }

    @Test
    public void closeIsIdempotent() throws IOException {
        Transport transport = start(Map.of());
        probe(transport).put(bytes("k"), bytes("v"));

        transport.close();
        transport.close();
    }
}
