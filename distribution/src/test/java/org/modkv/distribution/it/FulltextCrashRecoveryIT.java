package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ModkvClient;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A crash during heavy indexing loses nothing the index must show. Four writers put, overwrite,
 * MSET and delete keys of a small key space with values of a few random words through RESP; once
 * the fulltext index has committed at least once and applied well past that commit, the node is
 * SIGKILLed mid-write. After a restart on the same data dir, every SEARCH / SEARCHANY (words,
 * phrases, prefixes, exclusions) answers exactly the hits and total a brute-force scan of the
 * node's own data (read back with MGET) gives, and the log shows the index caught up from its
 * last commit (a sequence above 0), not rebuilt from nothing (docs/design/indexes.md, Restart).
 */
class FulltextCrashRecoveryIT {
    private static final int TIMEOUT_MS = 30_000;
    private static final long WAIT_MS = 60_000;
    private static final int KEYS = 400;
    private static final int WRITERS = 4;
    private static final List<String> WORDS = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
            "hotel", "india", "juliet", "kilo", "lima");
    private static final Pattern START_UP = Pattern.compile(
            "index fulltext: start-up: the index is at sequence (\\d+), storage at (\\d+)");

    @TempDir
    Path dir;

    @Test
    void afterASigkillDuringHeavyIndexingTheIndexEqualsTheNodesData() throws Exception {
        Path data = dir.resolve("data");
        long seed = System.nanoTime();
        String note = " (seed " + seed + ")";
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> beforeKill = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        long committedBeforeKill;
        try (NodeProcess node = NodeProcess.start(data, "--set", "index.commit.interval.ms=200")) {
            for (int w = 0; w < WRITERS; w++) {
                Random random = new Random(seed + w);
                Thread writer = new Thread(() -> write(node, random, writing, writes, killed, beforeKill), "writer-" + w);
                writers.add(writer);
                writer.start();
            }
            try (ModkvClient client = ModkvClient.connect(node.tcp())) {
                committedBeforeKill = awaitStat(client, "fulltext.committed_sequence", v -> v > 0, beforeKill);
                // Heavy indexing goes on past the commit, so the crash leaves an uncommitted tail.
                awaitStat(client, "fulltext.applied_sequence", v -> v > committedBeforeKill + 2_000, beforeKill);
            }
            killed.set(true);
            node.kill();
        } finally {
            writing.set(false);
            for (Thread writer : writers) {
                writer.join(WAIT_MS);
                assertTrue(!writer.isAlive(), writer.getName() + " did not stop");
            }
        }
        if (!beforeKill.isEmpty()) {
            throw new AssertionError("a write failed before the kill" + note, beforeKill.peek());
        }
        assertTrue(writes.get() > 0);

        try (NodeProcess node = NodeProcess.start(data);
             Jedis jedis = new Jedis("127.0.0.1", NodeProcess.port(node.resp()), TIMEOUT_MS)) {
            Matcher startUp = START_UP.matcher(node.stderr());
            assertTrue(startUp.find(), "no start-up catch-up logged:\n" + node.stderr());
            long indexAt = Long.parseLong(startUp.group(1));
            long storageAt = Long.parseLong(startUp.group(2));
            assertTrue(indexAt >= committedBeforeKill && indexAt > 0 && indexAt < storageAt,
                    "the index restarted from its commit: " + startUp.group() + ", a commit at " + committedBeforeKill
                            + " was seen before the kill" + note);
            try (ModkvClient client = ModkvClient.connect(node.tcp())) {
                Map<String, String> indexes = client.stats().get("indexes");
                assertEquals("ok", indexes.get("fulltext.state"), indexes.toString());
                assertEquals("1", indexes.get("fulltext.resyncs"), "one catch-up at start-up: " + indexes);
            }

            Map<String, List<String>> stored = readAll(jedis);
            assertTrue(stored.size() > KEYS / 4, "the workload left keys: " + stored.size() + note);
            Random random = new Random(seed);
            List<String[]> queries = new ArrayList<>();
            for (String word : WORDS) {
                queries.add(new String[] {"SEARCH", word});
            }
            for (int q = 0; q < 40; q++) {
                String a = WORDS.get(random.nextInt(WORDS.size()));
                String b = WORDS.get(random.nextInt(WORDS.size()));
                queries.add(new String[] {"SEARCH", a, b});
                queries.add(new String[] {"SEARCHANY", a, b});
                queries.add(new String[] {"SEARCH", "\"" + a + " " + b + "\""});
                queries.add(new String[] {"SEARCH", a, "-" + b});
                queries.add(new String[] {"SEARCHANY", a.substring(0, 2) + "*", b});
            }
            for (String[] query : queries) {
                Set<String> expected = expected(query, stored);
                List<?> reply = (List<?>) jedis.sendCommand(command(query[0]), args(query));
                Set<String> got = new TreeSet<>();
                for (Object key : reply.subList(1, reply.size())) {
                    got.add(new String((byte[]) key, StandardCharsets.UTF_8));
                }
                String what = String.join(" ", query) + note;
                assertEquals(expected, got, what);
                assertEquals((long) expected.size(), reply.get(0), "total of " + what);
            }
        }
    }

    private static void write(NodeProcess node, Random random, AtomicBoolean writing, AtomicLong writes,
                              AtomicBoolean killed, ConcurrentLinkedQueue<Throwable> errors) {
        try (Jedis jedis = new Jedis("127.0.0.1", NodeProcess.port(node.resp()), TIMEOUT_MS)) {
            while (writing.get()) {
                int dice = random.nextInt(10);
                if (dice < 6) {
                    jedis.set(key(random), value(random));
                } else if (dice < 8) {
                    jedis.mset(key(random), value(random), key(random), value(random), key(random), value(random));
                } else {
                    jedis.del(key(random));
                }
                writes.incrementAndGet();
            }
        } catch (JedisException e) {
            if (!killed.get()) {
                errors.add(e);
            }
        }
    }

    private static String key(Random random) {
        return String.format("k%03d", random.nextInt(KEYS));
    }

    private static String value(Random random) {
        int count = 1 + random.nextInt(5);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            words.add(WORDS.get(random.nextInt(WORDS.size())));
        }
        return String.join(" ", words);
    }

    /** Polls stats until {@code indexes.<figure>} passes {@code test} (bounded); its value then. */
    private static long awaitStat(ModkvClient client, String figure, Predicate<Long> test,
                                  ConcurrentLinkedQueue<Throwable> writerErrors) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Map<String, String> indexes = Map.of();
        while (System.currentTimeMillis() < deadline && writerErrors.isEmpty()) {
            indexes = client.stats().getOrDefault("indexes", Map.of());
            String value = indexes.get(figure);
            if (value != null && test.test(Long.parseLong(value))) {
                return Long.parseLong(value);
            }
            Thread.sleep(20);
        }
        if (!writerErrors.isEmpty()) {
            throw new AssertionError("a writer failed", writerErrors.peek());
        }
        fail("indexes." + figure + " did not get there within " + WAIT_MS + " ms: " + indexes);
        return -1;
    }

    /** Every key of the key space that holds a value, with the value's words. */
    private static Map<String, List<String>> readAll(Jedis jedis) {
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("k%03d", i);
        }
        List<String> values = jedis.mget(keys);
        Map<String, List<String>> stored = new TreeMap<>();
        for (int i = 0; i < KEYS; i++) {
            if (values.get(i) != null) {
                stored.put(keys[i], Arrays.asList(values.get(i).split(" ")));
            }
        }
        return stored;
    }

    /** The brute-force answer: the keys whose words match every clause (SEARCH) or any (SEARCHANY). */
    private static Set<String> expected(String[] query, Map<String, List<String>> stored) {
        boolean all = query[0].equals("SEARCH");
        Set<String> keys = new TreeSet<>();
        stored.forEach((key, words) -> {
            boolean match = all;
            for (int i = 1; i < query.length; i++) {
                boolean clause = matches(query[i], words);
                match = all ? match && clause : match || clause;
            }
            if (match) {
                keys.add(key);
            }
        });
        return keys;
    }

    private static boolean matches(String clause, List<String> words) {
        if (clause.startsWith("-")) {
            return !words.contains(clause.substring(1));
        }
        if (clause.endsWith("*")) {
            String prefix = clause.substring(0, clause.length() - 1);
            return words.stream().anyMatch(word -> word.startsWith(prefix));
        }
        if (clause.startsWith("\"")) {
            List<String> phrase = List.of(clause.substring(1, clause.length() - 1).split(" "));
            for (int i = 0; i + phrase.size() <= words.size(); i++) {
                if (words.subList(i, i + phrase.size()).equals(phrase)) {
                    return true;
                }
            }
            return false;
        }
        return words.contains(clause);
    }

    private static ProtocolCommand command(String name) {
        return () -> name.getBytes(StandardCharsets.UTF_8);
    }

    /** The query's words, then LIMIT 0 1000 (the index's maximum page; more than the key space). */
    private static String[] args(String[] query) {
        List<String> args = new ArrayList<>(Arrays.asList(query).subList(1, query.length));
        args.addAll(List.of("LIMIT", "0", "1000"));
        return args.toArray(String[]::new);
    }
}
