package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The {@code resp} transport of a real node process (storage wal, wal.sync=always) driven by the
 * real Redis tools (redis-cli, redis-benchmark from Debian's redis-tools, which CI installs) and
 * by Jedis; the {@code tcp} transport of the same node sees the same data. One node serves the
 * whole class; every test uses keys of its own. No timing thresholds: only replies, exit codes
 * and output shape are checked.
 */
class RespToolsIT {
    private static final String HOST = "127.0.0.1";
    /** Jedis' socket timeout: generous, so a slow shared CI core never fails a reply. */
    private static final int JEDIS_TIMEOUT_MS = 30_000;
    /** The final line of each test of {@code redis-benchmark -q}, e.g. "SET: 1603.85 requests per second, p50=3.391 msec". */
    private static final Pattern BENCHMARK_LINE =
            Pattern.compile("^(SET|GET): ([0-9]+(?:\\.[0-9]+)?) requests per second\\b.*$");

    @TempDir
    static Path dir;
    private static NodeProcess node;
    private static int port;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeProcess.start(dir.resolve("data"), "--set", "storage=wal", "--set", "wal.sync=always",
                "--set", "transports=tcp,resp");
        port = NodeProcess.port(node.resp());
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    // ---- redis-cli ----

    @Test
    void redisCliPingSetGetAndMissingKey() throws Exception {
        Cli.Result ping = redisCli("PING");
        assertEquals(0, ping.status(), why(ping));
        assertEquals("PONG\n", ping.out(), why(ping));

        Cli.Result set = redisCli("SET", "cli:greeting", "hello world");
        assertEquals(0, set.status(), why(set));
        assertEquals("OK\n", set.out(), why(set));

        Cli.Result get = redisCli("GET", "cli:greeting");
        assertEquals(0, get.status(), why(get));
        assertEquals("hello world\n", get.out(), why(get));

        // Without a terminal redis-cli prints a nil bulk as an empty line.
        Cli.Result missing = redisCli("GET", "cli:missing");
        assertEquals(0, missing.status(), why(missing));
        assertEquals("", missing.out().strip(), why(missing));
    }

    @Test
    void redisCliMsetMgetDelExistsDbsize() throws Exception {
        long before = Long.parseLong(ok(redisCli("DBSIZE")).out().strip());

        assertEquals("OK\n", ok(redisCli("MSET", "multi:a", "1", "multi:b", "2", "multi:c", "3")).out());
        Cli.Result mget = ok(redisCli("MGET", "multi:a", "multi:b", "multi:c", "multi:none"));
        assertEquals(List.of("1", "2", "3", ""), lines(mget.out()), why(mget));

        assertEquals("2\n", ok(redisCli("EXISTS", "multi:a", "multi:c", "multi:none")).out());
        assertEquals(before + 3, Long.parseLong(ok(redisCli("DBSIZE")).out().strip()));

        Cli.Result del = ok(redisCli("DEL", "multi:a", "multi:b", "multi:none"));
        assertEquals("2\n", del.out(), why(del));
        assertEquals("0\n", ok(redisCli("EXISTS", "multi:a", "multi:b")).out());
        assertEquals("1\n", ok(redisCli("EXISTS", "multi:c")).out());
        assertEquals(before + 1, Long.parseLong(ok(redisCli("DBSIZE")).out().strip()));
    }

    @Test
    void redisCliInfoSections() throws Exception {
        ok(redisCli("SET", "info:k", "v"));
        Cli.Result replication = ok(redisCli("INFO", "replication"));
        assertTrue(replication.out().contains("role:standalone"), why(replication));

        Cli.Result keyspace = ok(redisCli("INFO", "keyspace"));
        assertTrue(keyspace.out().contains("db0:keys="), why(keyspace));
    }

    @Test
    void redisCliShowsErrorsForUnknownCommandsAndWrongArity() throws Exception {
        // redis-cli prints error replies ("ERR ...") and, depending on its version, exits 0 or 1.
        Cli.Result unknown = redisCli("FOOBAR", "x");
        assertTrue((unknown.out() + unknown.err()).contains("unknown command"), why(unknown));

        Cli.Result arity = redisCli("GET");
        assertTrue((arity.out() + arity.err()).contains("wrong number of arguments"), why(arity));

        Cli.Result setArity = redisCli("SET", "only-a-key");
        assertTrue((setArity.out() + setArity.err()).contains("wrong number of arguments"), why(setArity));

        // The connection-level errors left the node serving.
        assertEquals("PONG\n", ok(redisCli("PING")).out());
    }

    @Test
    void redisCliReadsCommandsFromPipedStdin() throws Exception {
        Cli.Result piped = Cli.run(List.of("-h", HOST, "-p", Integer.toString(port)),
                "PING\nSET pipe:k piped\nGET pipe:k\n", Map.of(), redisCliPath());
        assertEquals(0, piped.status(), why(piped));
        assertEquals(List.of("PONG", "OK", "piped"), lines(piped.out()), why(piped));
    }

    @Test
    void oneNodeTwoTransportsSeeTheSameData() throws Exception {
        ok(redisCli("SET", "cross:from-resp", "written over resp"));
        Cli.Result get = Cli.modkv("get", "cross:from-resp", "--connect", node.tcp());
        assertEquals(0, get.status(), why(get));
        assertEquals("written over resp\n", get.out(), why(get));

        Cli.Result put = Cli.modkv("put", "cross:from-tcp", "written over tcp", "--connect", node.tcp());
        assertEquals(0, put.status(), why(put));
        assertEquals("written over tcp\n", ok(redisCli("GET", "cross:from-tcp")).out());

        Cli.Result del = Cli.modkv("del", "cross:from-resp", "--connect", node.tcp());
        assertEquals(0, del.status(), why(del));
        assertEquals("0\n", ok(redisCli("EXISTS", "cross:from-resp")).out());
    }

    // ---- redis-benchmark ----

    @Test
    void redisBenchmarkSetGet() throws Exception {
        Cli.Result run = redisBenchmark("-t", "set,get", "-n", "2000", "-c", "10", "-d", "100", "-q");
        assertBenchmarkOutput(run);
    }

    @Test
    void redisBenchmarkPipelined() throws Exception {
        Cli.Result run = redisBenchmark("-t", "set,get", "-n", "2000", "-c", "10", "-d", "100", "-q", "-P", "16");
        assertBenchmarkOutput(run);
    }

    private static void assertBenchmarkOutput(Cli.Result run) throws IOException {
        assertEquals(0, run.status(), why(run));
        // -q rewrites a progress line with '\r' and ends each test with its summary line.
        List<String> tests = new ArrayList<>();
        for (String line : run.out().split("[\r\n]+")) {
            Matcher m = BENCHMARK_LINE.matcher(line.strip());
            if (m.matches()) {
                assertTrue(Double.parseDouble(m.group(2)) > 0, why(run));
                tests.add(m.group(1));
            }
        }
        assertEquals(List.of("SET", "GET"), tests, why(run));
        assertTrue(node.isAlive(), why(run));
    }

    // ---- Jedis ----

    @Test
    void jedisBinaryKeysAndValuesRoundTrip() throws Exception {
        byte[] key = {'b', 'i', 'n', ':', 0, 1, '\r', '\n', (byte) 0xff, ' ', '*', '$', '-', (byte) 0x80};
        byte[] value = new byte[64 * 1024];
        new Random(42).nextBytes(value);
        for (int i = 0; i < 256; i++) {
            value[i] = (byte) i; // every byte value at least once
        }
        byte[] emptyKey = {'b', 'i', 'n', ':', 'e', 0};
        try (Jedis jedis = jedis()) {
            assertEquals("OK", jedis.set(key, value));
            assertArrayEquals(value, jedis.get(key));
            assertEquals("OK", jedis.set(emptyKey, new byte[0]));
            assertArrayEquals(new byte[0], jedis.get(emptyKey));
            assertEquals(2, jedis.exists(key, emptyKey));
            assertEquals(2, jedis.del(key, emptyKey));
            assertNull(jedis.get(key));
        }
    }

    @Test
    void jedisPipelineOfAThousandCommandsRepliesInOrder() throws Exception {
        try (Jedis jedis = jedis()) {
            Pipeline writes = jedis.pipelined();
            List<Response<String>> written = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                written.add(writes.set("pipe:" + i, "value-" + i));
            }
            writes.sync();
            for (int i = 0; i < 500; i++) {
                assertEquals("OK", written.get(i).get(), "reply to SET " + i);
            }

            // 1000 commands, reads of distinct values interleaved with writes: any reordering of
            // the replies shows. Reads do not touch keys written in the same pipeline (see
            // pipelinedGetSeesTheSetBeforeIt).
            Pipeline pipeline = jedis.pipelined();
            List<Response<String>> gets = new ArrayList<>();
            List<Response<String>> sets = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                gets.add(pipeline.get("pipe:" + i));
                sets.add(pipeline.set("pipe2:" + i, "second-" + i));
            }
            pipeline.sync();
            for (int i = 0; i < 500; i++) {
                assertEquals("value-" + i, gets.get(i).get(), "reply to GET " + i);
                assertEquals("OK", sets.get(i).get(), "reply to SET " + i);
            }
            assertEquals(List.of("second-0", "second-250", "second-499"),
                    jedis.mget("pipe2:0", "pipe2:250", "pipe2:499"));
        }
    }

    /**
     * Redis runs one connection's commands one after another, so a pipelined GET sees the SET sent
     * before it on the same connection, as Redis guarantees (a regression test: transport-resp once
     * handed every pipelined request to the kernel at once, and the GET returned nil).
     */
    @Test
    void pipelinedGetSeesTheSetBeforeIt() throws Exception {
        try (Jedis jedis = jedis()) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<String>> gets = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                pipeline.set("ryw:" + i, "value-" + i);
                gets.add(pipeline.get("ryw:" + i));
            }
            pipeline.sync();
            for (int i = 0; i < 100; i++) {
                assertEquals("value-" + i, gets.get(i).get(), "reply to GET " + i);
            }
        }
    }

    @Test
    void jedisMsetIsAllOrNothingAndVisibleThroughMget() throws Exception {
        try (Jedis jedis = jedis()) {
            String[] pairs = new String[20];
            String[] keys = new String[10];
            for (int i = 0; i < 10; i++) {
                keys[i] = "mset:" + i;
                pairs[2 * i] = keys[i];
                pairs[2 * i + 1] = "v" + i;
            }
            assertEquals("OK", jedis.mset(pairs));
            List<String> values = jedis.mget(keys);
            for (int i = 0; i < 10; i++) {
                assertEquals("v" + i, values.get(i), "MGET value " + i);
            }

            // One entry over node.max.key.bytes (64 KiB) refuses the whole batch: none is written.
            String tooLong = "k".repeat(70_000);
            JedisDataException refused = assertThrows(JedisDataException.class,
                    () -> jedis.mset("mset:none-1", "x", tooLong, "y", "mset:none-2", "z"));
            assertTrue(refused.getMessage().contains("node.max.key.bytes"), refused::getMessage);
            assertEquals(Arrays.asList(null, null), jedis.mget("mset:none-1", "mset:none-2"));
            assertEquals("PONG", jedis.ping());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"*2\r\n$3\r\nGET\r\n$abc\r\nGARBAGE\r\n", "*-5x\r\n\u0000\u0001\u0002\r\n"})
    void garbageGetsAProtocolErrorAndIsClosedWhileJedisKeepsWorking(String garbage) throws Exception {
        try (Jedis jedis = jedis()) {
            assertEquals("OK", jedis.set("garbage:before", "1"));
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(HOST, port), 10_000);
                raw.setSoTimeout(20_000);
                OutputStream out = raw.getOutputStream();
                out.write(garbage.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String reply = readToEnd(raw.getInputStream());
                assertTrue(reply.startsWith("-ERR Protocol error"), "reply to garbage: " + reply);
            }
            assertEquals("PONG", jedis.ping());
            assertEquals("1", jedis.get("garbage:before"));
            assertEquals("OK", jedis.set("garbage:after", "2"));
            assertEquals("2", jedis.get("garbage:after"));
        }
        try (Jedis another = jedis()) {
            assertEquals("2", another.get("garbage:after"));
        }
    }

    /** Everything until the server closes the connection; fails if it keeps it open. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the server kept the connection open after a protocol error; it sent: "
                    + bytes.toString(StandardCharsets.ISO_8859_1));
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    // ---- helpers ----

    private static Jedis jedis() {
        return new Jedis(HOST, port, JEDIS_TIMEOUT_MS);
    }

    private static Path redisCliPath() {
        return ExternalTools.requireRedisTool("redis-cli");
    }

    private static Cli.Result redisCli(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-h", HOST, "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        return Cli.run(args, null, Map.of(), redisCliPath());
    }

    private static Cli.Result redisBenchmark(String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-h", HOST, "-p", Integer.toString(port)));
        args.addAll(List.of(options));
        return Cli.run(args, null, Map.of(), ExternalTools.requireRedisTool("redis-benchmark"));
    }

    private static Cli.Result ok(Cli.Result result) throws IOException {
        assertEquals(0, result.status(), why(result));
        return result;
    }

    /** Lines of redis-cli's output, without the last line's newline. */
    private static List<String> lines(String out) {
        String trimmed = out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        return List.of(trimmed.split("\r?\n", -1));
    }

    /** The result and, for a failure inside the node, the node's log. */
    private static Supplier<String> why(Cli.Result result) throws IOException {
        String log = node.stderr();
        return () -> result + "\n  node alive: " + node.isAlive() + "\n  node stderr (tail):\n"
                + tail(log, 4000);
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }
}
