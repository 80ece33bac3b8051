package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ClientOptions;
import org.modkv.client.ModkvClient;
import org.modkv.client.ModkvClientException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * No acknowledged write is lost to a crash: 16 threads overwrite keys of their own (64 each) on
 * a node from the packaged launcher, the node is SIGKILLed while writes are in flight, restarted
 * on the same data dir, and every key must read back its last acknowledged value, or the value of
 * a write that was in flight at the kill. The writers use the Java client over tcp, or Jedis over
 * RESP with {@code resp.io.async.fsync} on, where (with io_uring) the event loop starts each
 * group's fsync on its ring and does not wait in it.
 *
 * <p>Small segments and a short merge interval, and overwrites, make the node merge while it is
 * written to; each node is killed only once it has merged (its {@code merges} stat, polled over
 * tcp), so merges, hint files and merge commits are in the line of fire, and the restart reads
 * merge outputs. A crash test that never merges proves less than it claims.
 */
class CrashDurabilityIT {
    private static final int WRITERS = 16;
    private static final int KEYS_PER_WRITER = 64;
    private static final String[] MERGING = {"--set", "wal.segment.bytes=256KiB", "--set", "wal.merge.interval.ms=100"};
    private static final Duration MERGE_WAIT = Duration.ofSeconds(60);
    private static final Pattern RESP_ON_IO_URING = Pattern.compile("RESP transport listening on \\S+ \\(io_uring,");
    private static final Pattern EVENT_LOOP_FSYNCS = Pattern.compile("(?m)^event_loop_fsyncs:(\\d+)");

    /** How the writers reach the node. */
    private enum Protocol { TCP, RESP }

    /** One connection of a writer, over either protocol. */
    private interface Connection extends AutoCloseable {
        void put(String key, String value);

        @Override
        void close();
    }
    private static final int CLIENTS = 4;
    private static final Duration WRITE_PHASE = Duration.ofSeconds(3);
    private static final Duration WRITER_JOIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        crashCycles(3, Protocol.TCP);
    }

    @Test
    void acknowledgedRespWritesSurviveSigkillWithFsyncsOnTheEventLoop() throws Exception {
        crashCycles(3, Protocol.RESP);
    }

    @Test
    @Tag("soak")
    void acknowledgedWritesSurviveManySigkills() throws Exception {
        crashCycles(30, Protocol.TCP);
    }

    @Test
    @Tag("soak")
    void acknowledgedRespWritesSurviveManySigkills() throws Exception {
        crashCycles(20, Protocol.RESP);
    }

    private void crashCycles(int cycles, Protocol protocol) throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> acked = new ConcurrentHashMap<>();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            Map<String, String> unacked = new ConcurrentHashMap<>();
            long[] ackedThisCycle = {0};
            long merges;
            try (NodeProcess node = NodeProcess.start(data, args("--set", "transports=tcp,resp",
                    "--set", "resp.io.async.fsync=true"))) {
                merges = writeUntilKilled(node, protocol, cycle, acked, unacked, ackedThisCycle);
            }
            assertTrue(ackedThisCycle[0] > 0, "cycle " + cycle + ": no write was acknowledged, so nothing was tested");
            assertTrue(merges > 0, "cycle " + cycle + ": the node merged before the kill");

            try (NodeProcess node = NodeProcess.start(data, MERGING); ModkvClient client = connect(node)) {
                List<String> lost = new ArrayList<>();
                int[] inFlightLanded = {0};
                forEachValue(client, union(acked, unacked), (key, value) -> {
                    String last = acked.get(key);
                    String inFlight = unacked.get(key);
                    String found = value.orElse(null);
                    if (found != null && found.equals(inFlight)) {
                        inFlightLanded[0]++;
                        acked.put(key, found); // it survived a kill and a restart: from now on it must stay
                    } else if (last != null && !last.equals(found)) {
                        lost.add(key + "=" + found + " (acknowledged " + last + ")");
                    } else if (last == null && found != null) {
                        lost.add(key + "=" + found + " (never written)");
                    }
                });
                System.out.printf("crash cycle %d/%d: acknowledged %d writes (%d keys in all), merges before the kill "
                                + "%d; after restart %d keys wrong; writes in flight at the kill %d, of which landed %d%n",
                        cycle, cycles, ackedThisCycle[0], acked.size(), merges, lost.size(), unacked.size(),
                        inFlightLanded[0]);
                assertTrue(lost.isEmpty(), "cycle " + cycle + ": " + lost.size() + " keys do not read their last "
                        + "acknowledged value (nor that of a write in flight at the kill), e.g. " + head(lost));
            }
        }
    }

    private static String[] args(String... extra) {
        List<String> all = new ArrayList<>(List.of(MERGING));
        all.addAll(List.of(extra));
        return all.toArray(new String[0]);
    }

    private static Map<String, String> union(Map<String, String> acked, Map<String, String> unacked) {
        Map<String, String> keys = new java.util.HashMap<>(acked);
        keys.putAll(unacked);
        return keys;
    }

    /**
     * Runs the writers, SIGKILLs the node while they write once it has merged, and waits for
     * every writer to notice. Returns the node's merges before the kill.
     */
    private static long writeUntilKilled(NodeProcess node, Protocol protocol, int cycle, Map<String, String> acked,
                                         Map<String, String> unacked, long[] ackedThisCycle) throws Exception {
        List<Connection> clients = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        long merges;
        try {
            for (int i = 0; i < (protocol == Protocol.RESP ? WRITERS : CLIENTS); i++) {
                clients.add(protocol == Protocol.RESP ? jedis(node) : tcp(node));
            }
            for (int w = 0; w < WRITERS; w++) {
                Connection client = clients.get(w % clients.size());
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String key = String.format("w%02d-k%03d", writer, n % KEYS_PER_WRITER);
                        String value = key + "|c" + cycle + "-n" + n + "|" + "v".repeat(48 + n % 64);
                        unacked.put(key, value);
                        try {
                            client.put(key, value);
                        } catch (ModkvClientException | JedisException e) {
                            if (!node.isAlive() || isConnectionLoss(e)) {
                                return; // the kill: this write may or may not have landed
                            }
                            unexpected.add(e);
                            return;
                        }
                        unacked.remove(key);
                        acked.put(key, value);
                        synchronized (ackedThisCycle) {
                            ackedThisCycle[0]++;
                        }
                    }
                }, "writer-" + w);
                writers.add(thread);
                thread.start();
            }
            Thread.sleep(WRITE_PHASE.toMillis());
            if (protocol == Protocol.RESP && RESP_ON_IO_URING.matcher(node.stderr()).find()) {
                assertTrue(eventLoopFsyncs(node) > 0, "with io_uring, RESP writes are fsynced on the event loop");
            }
            merges = awaitMerges(node);
            node.kill();
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(WRITER_JOIN.toMillis());
                assertTrue(!writer.isAlive(), writer.getName() + " still blocked " + WRITER_JOIN + " after the kill");
            }
            clients.forEach(Connection::close);
        }
        if (!unexpected.isEmpty()) {
            throw new AssertionError(unexpected.size() + " writes failed while the node was up, e.g. "
                    + unexpected.get(0) + "\nnode stderr (last lines):\n" + tail(node.stderr(), 40),
                    unexpected.get(0));
        }
        return merges;
    }

    /** Waits (bounded, the writers going on) until the node has merged; returns its merges. */
    private static long awaitMerges(NodeProcess node) throws Exception {
        try (ModkvClient client = connect(node)) {
            long deadline = System.nanoTime() + MERGE_WAIT.toNanos();
            Map<String, String> storage = client.stats().get("storage");
            while (Long.parseLong(storage.get("merges")) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                storage = client.stats().get("storage");
            }
            assertTrue(Long.parseLong(storage.get("merges")) > 0, "the node did not merge within " + MERGE_WAIT
                    + " of overwrites: " + storage + "\nnode stderr (last lines):\n" + tail(node.stderr(), 40));
            return Long.parseLong(storage.get("merges"));
        }
    }

    private static boolean isConnectionLoss(RuntimeException e) {
        return e instanceof JedisConnectionException
                || e instanceof ModkvClientException m && List.of("UNAVAILABLE", "CLOSED", "TIMEOUT").contains(m.code());
    }

    private static Connection tcp(NodeProcess node) {
        ModkvClient client = connect(node);
        return new Connection() {
            @Override
            public void put(String key, String value) {
                client.put(key, value);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static Connection jedis(NodeProcess node) {
        Jedis jedis = new Jedis("127.0.0.1", NodeProcess.port(node.resp()), 20_000);
        return new Connection() {
            @Override
            public void put(String key, String value) {
                String reply = jedis.set(key, value);
                if (!"OK".equals(reply)) {
                    throw new IllegalStateException("SET " + key + " replied " + reply);
                }
            }

            @Override
            public void close() {
                try {
                    jedis.close();
                } catch (JedisException e) {
                    // the node is gone
                }
            }
        };
    }

    private static long eventLoopFsyncs(NodeProcess node) {
        try (Jedis jedis = new Jedis("127.0.0.1", NodeProcess.port(node.resp()), 20_000)) {
            Matcher m = EVENT_LOOP_FSYNCS.matcher(jedis.info("storage"));
            assertTrue(m.find(), "INFO storage shows event_loop_fsyncs");
            return Long.parseLong(m.group(1));
        }
    }

    private static ModkvClient connect(NodeProcess node) {
        return ModkvClient.connect(ClientOptions.defaults(node.tcp()).withRequestTimeout(Duration.ofSeconds(20)));
    }

    private static void forEachValue(ModkvClient client, Map<String, String> keys,
                                     BiConsumer<String, Optional<String>> action) {
        List<String> all = new ArrayList<>(keys.keySet());
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            List<Optional<byte[]>> values = client.getMany(
                    chunk.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList());
            for (int i = 0; i < chunk.size(); i++) {
                action.accept(chunk.get(i), values.get(i).map(v -> new String(v, StandardCharsets.UTF_8)));
            }
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static List<String> head(List<String> keys) {
        return keys.subList(0, Math.min(5, keys.size()));
    }
}
