package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modkv.client.ModkvClient;
import org.modkv.client.ModkvClientException;
import org.modkv.client.VersionedEntry;

/**
 * Conditional writes, counters and expiry across SIGKILL, on both storage engines
 * (docs/design/kv-api.md): writers increment counters (read-modify-write on versions) and put
 * keys with a TTL while the node is killed; after a restart every acknowledged increment is
 * counted (and no more than were sent), every acknowledged TTL put still carries its expiry, and
 * a new write gets a higher version than any acknowledged before the kill (revisions are never
 * reused). No timing thresholds: the kill comes after a number of acknowledgements.
 */
class KvApiCrashIT {
    private static final int WRITERS = 4;
    private static final long KILL_AFTER_ACKS = 300;
    private static final Duration WRITER_JOIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"wal", "perkey"})
    void incrementsConditionalWritesAndExpiriesSurviveSigkill(String storage) throws Exception {
        Path data = dir.resolve(storage);
        AtomicLong[] acked = new AtomicLong[WRITERS];
        AtomicLong[] sent = new AtomicLong[WRITERS];
        AtomicLong highestVersion = new AtomicLong();
        AtomicLong acks = new AtomicLong();
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        long ttlPuts;
        try (NodeProcess node = NodeProcess.start(data, "--set", "storage=" + storage, "--set", "transports=tcp")) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            AtomicLong ttlAcked = new AtomicLong();
            try (ModkvClient client = ModkvClient.connect(node.tcp())) {
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    acked[w] = new AtomicLong();
                    sent[w] = new AtomicLong();
                    Thread thread = new Thread(() -> {
                        byte[] counter = ("counter-" + writer % 2).getBytes(StandardCharsets.UTF_8);
                        for (int n = 0; !stop.get(); n++) {
                            try {
                                if (n % 3 == 2) {
                                    byte[] key = ("ttl-" + writer + "-" + n).getBytes(StandardCharsets.UTF_8);
                                    client.put(key, key, Duration.ofHours(2));
                                    ttlAcked.incrementAndGet();
                                } else {
                                    sent[writer].incrementAndGet();
                                    client.increment(counter, 1);
                                    acked[writer].incrementAndGet();
                                    VersionedEntry seen = client.getVersioned(counter).orElseThrow();
                                    highestVersion.accumulateAndGet(seen.version(), Math::max);
                                }
                                if (acks.incrementAndGet() == KILL_AFTER_ACKS) {
                                    node.kill();
                                }
                            } catch (ModkvClientException e) {
                                if (!node.isAlive() || e.code().equals("UNAVAILABLE") || e.code().equals("CLOSED")
                                        || e.code().equals("TIMEOUT")) {
                                    return; // the kill
                                }
                                unexpected.add(e);
                                return;
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    }, "kv-writer-" + w);
                    writers.add(thread);
                    thread.start();
                }
                for (Thread writer : writers) {
                    writer.join(WRITER_JOIN.toMillis());
                }
                stop.set(true);
            }
            ttlPuts = ttlAcked.get();
            assertTrue(unexpected.isEmpty(), "writes failed while the node was up: " + unexpected);
        }
        try (NodeProcess node = NodeProcess.start(data, "--set", "storage=" + storage, "--set", "transports=tcp");
             ModkvClient client = ModkvClient.connect(node.tcp())) {
            for (int c = 0; c < 2; c++) {
                long ackedSum = 0;
                long sentSum = 0;
                for (int w = c; w < WRITERS; w += 2) {
                    ackedSum += acked[w].get();
                    sentSum += sent[w].get();
                }
                long value = Long.parseLong(client.get("counter-" + c).orElse("0"));
                assertTrue(value >= ackedSum && value <= sentSum, "counter-" + c + " = " + value
                        + ", acknowledged increments " + ackedSum + ", sent " + sentSum);
            }
            long found = 0;
            long now = System.currentTimeMillis();
            for (int w = 0; w < WRITERS; w++) {
                for (int n = 2; n < 10_000; n += 3) {
                    var entry = client.getVersioned(("ttl-" + w + "-" + n).getBytes(StandardCharsets.UTF_8));
                    if (entry.isPresent()) {
                        found++;
                        long left = entry.get().expiresAtMillis() - now;
                        assertTrue(left > 0 && left <= Duration.ofHours(2).toMillis(), "expiry kept: " + left + " ms");
                    }
                }
            }
            assertTrue(found >= ttlPuts, "every acknowledged TTL put survived: found " + found + " of " + ttlPuts);
            client.put("after-restart".getBytes(StandardCharsets.UTF_8), new byte[] {1});
            long version = client.getVersioned("after-restart".getBytes(StandardCharsets.UTF_8)).orElseThrow().version();
            assertTrue(version > highestVersion.get(), "a write after the restart gets version " + version
                    + ", above every version acknowledged before the kill (" + highestVersion.get() + ")");
            assertEquals(0, client.get("never").map(v -> 1).orElse(0));
        }
    }
}
