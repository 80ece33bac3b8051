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
 * No acknowledged write is lost to a crash: 16 threads write distinct keys to a node from the
 * packaged launcher, the node is SIGKILLed while writes are in flight, restarted on the same
 * data dir, and every write it acknowledged (in this and earlier cycles) must read back. The
 * writers use the Java client over tcp, or Jedis over RESP with {@code resp.io.async.fsync} on,
 * where (with io_uring) the event loop starts each group's fsync on its ring and does not wait in it.
 */
class CrashDurabilityIT {
    private static final int WRITERS = 16;
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
            int before = acked.size();
            try (NodeProcess node = NodeProcess.start(data, "--set", "transports=tcp,resp",
                    "--set", "resp.io.async.fsync=true")) {
                writeUntilKilled(node, protocol, cycle, acked, unacked);
            }
            int ackedThisCycle = acked.size() - before;
            assertTrue(ackedThisCycle > 0, "cycle " + cycle + ": no write was acknowledged, so nothing was tested");

            try (NodeProcess node = NodeProcess.start(data); ModkvClient client = connect(node)) {
                List<String> missing = new ArrayList<>();
                List<String> wrong = new ArrayList<>();
                check(client, acked, missing, wrong);
                int unackedPresent = countPresent(client, unacked);
                System.out.printf("crash cycle %d/%d: acknowledged %d (total %d), present after restart %d of %d; "
                                + "writes in flight at the kill %d, of which present %d%n",
                        cycle, cycles, ackedThisCycle, acked.size(), acked.size() - missing.size() - wrong.size(),
                        acked.size(), unacked.size(), unackedPresent);
                assertTrue(missing.isEmpty() && wrong.isEmpty(), "cycle " + cycle + ": " + missing.size()
                        + " acknowledged keys lost, e.g. " + head(missing) + "; " + wrong.size()
                        + " with a wrong value, e.g. " + head(wrong));
            }
        }
    }

    /** Runs the writers, SIGKILLs the node while they write, and waits for every writer to notice. */
    private static void writeUntilKilled(NodeProcess node, Protocol protocol, int cycle, Map<String, String> acked,
                                         Map<String, String> unacked) throws Exception {
        List<Connection> clients = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < (protocol == Protocol.RESP ? WRITERS : CLIENTS); i++) {
                clients.add(protocol == Protocol.RESP ? jedis(node) : tcp(node));
            }
            for (int w = 0; w < WRITERS; w++) {
                Connection client = clients.get(w % clients.size());
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String key = String.format("c%03d-w%02d-%07d", cycle, writer, n);
                        String value = key + "|" + "v".repeat(48 + n % 64);
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
                    }
                }, "writer-" + w);
                writers.add(thread);
                thread.start();
            }
            Thread.sleep(WRITE_PHASE.toMillis());
            if (protocol == Protocol.RESP && RESP_ON_IO_URING.matcher(node.stderr()).find()) {
                assertTrue(eventLoopFsyncs(node) > 0, "with io_uring, RESP writes are fsynced on the event loop");
            }
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

    private static void check(ModkvClient client, Map<String, String> expected, List<String> missing,
                              List<String> wrong) {
        forEachValue(client, expected, (key, value) -> {
            if (value.isEmpty()) {
                missing.add(key);
            } else if (!value.get().equals(expected.get(key))) {
                wrong.add(key + "=" + value.get());
            }
        });
    }

    private static int countPresent(ModkvClient client, Map<String, String> keys) {
        int[] present = {0};
        forEachValue(client, keys, (key, value) -> present[0] += value.isPresent() ? 1 : 0);
        return present[0];
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
