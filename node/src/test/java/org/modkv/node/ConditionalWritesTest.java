package org.modkv.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.Counter;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.RequestHandler;

/** Versions, conditional writes, counters and read-time expiry through the kernel with standalone replication. */
class ConditionalWritesTest {
    @TempDir
    Path dir;
    private ModkvNode node;
    private RequestHandler requests;

    @BeforeEach
    void start() throws IOException {
        node = MemoryNode.start(dir);
        requests = node.requests();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    private WriteOutcome writeIf(Condition condition, WriteBatch batch) {
        return requests.writeIf(new ConditionalWrite(List.of(condition), batch)).join();
    }

    private VersionedValue versioned(String key) {
        return requests.getVersioned(b(key), Consistency.DEFAULT).join().orElseThrow();
    }

    @Test
    void everyWriteGivesItsKeysANewHigherVersionReadWithTheValue() {
        requests.put(b("a"), b("1")).join();
        long first = versioned("a").version();
        requests.write(new WriteBatch().put(b("a"), b("2")).put(b("b"), b("x"))).join();
        assertTrue(versioned("a").version() > first);
        assertEquals(versioned("a").version(), versioned("b").version(), "one batch, one revision");
        assertArrayEquals(b("2"), versioned("a").value());
    }

    @Test
    void absentPresentAndVersionConditionsDecideWhetherAWriteApplies() {
        assertFalse(writeIf(Condition.present(b("k")), new WriteBatch().put(b("k"), b("xx"))).applied());
        WriteOutcome created = writeIf(Condition.absent(b("k")), new WriteBatch().put(b("k"), b("v1")));
        assertTrue(created.applied());
        assertEquals(created.version(), versioned("k").version());
        assertFalse(writeIf(Condition.absent(b("k")), new WriteBatch().put(b("k"), b("nx"))).applied());
        assertTrue(writeIf(Condition.versionEquals(b("k"), created.version()), new WriteBatch().put(b("k"), b("v2"))).applied());
        assertFalse(writeIf(Condition.versionEquals(b("k"), created.version()), new WriteBatch().put(b("k"), b("v3"))).applied());
        assertArrayEquals(b("v2"), versioned("k").value());
        long current = versioned("k").version();
        assertFalse(writeIf(Condition.versionEquals(b("k"), created.version()), new WriteBatch().delete(b("k"))).applied());
        assertTrue(writeIf(Condition.versionEquals(b("k"), current), new WriteBatch().delete(b("k"))).applied());
        assertTrue(requests.get(b("k"), Consistency.DEFAULT).join().isEmpty());
    }

    @Test
    void aConditionalBatchIsAllOrNothingAcrossKeys() {
        requests.put(b("x"), b("1")).join();
        long x = versioned("x").version();
        requests.put(b("x"), b("2")).join();
        ConditionalWrite stale = new ConditionalWrite(List.of(Condition.absent(b("y")), Condition.versionEquals(b("x"), x)),
                new WriteBatch().put(b("y"), b("new")).put(b("z"), b("new")).delete(b("x")));
        assertFalse(requests.writeIf(stale).join().applied());
        assertTrue(requests.get(b("y"), Consistency.DEFAULT).join().isEmpty());
        assertTrue(requests.get(b("z"), Consistency.DEFAULT).join().isEmpty());
        assertArrayEquals(b("2"), versioned("x").value());
        ConditionalWrite current = new ConditionalWrite(List.of(Condition.absent(b("y")),
                Condition.versionEquals(b("x"), versioned("x").version())), stale.batch());
        assertTrue(requests.writeIf(current).join().applied());
        assertArrayEquals(b("new"), versioned("y").value());
        assertTrue(requests.get(b("x"), Consistency.DEFAULT).join().isEmpty());
    }

    @Test
    void racingPutIfAbsentWritesInFlightTogetherLetExactlyOneWin() {
        List<CompletableFuture<WriteOutcome>> racing = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            racing.add(requests.writeIf(new ConditionalWrite(List.of(Condition.absent(b("lock"))),
                    new WriteBatch().put(b("lock"), b("owner" + i)))));
        }
        assertEquals(1, racing.stream().filter(f -> f.join().applied()).count());
    }

    @Test
    void concurrentIncrementsFromManyThreadsAllCount() throws Exception {
        int threads = 4;
        int each = 100;
        List<Thread> workers = new ArrayList<>();
        List<CompletableFuture<?>> done = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    done.add(requests.update(b("counter"), Counter.add(1)));
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        done.forEach(CompletableFuture::join);
        assertArrayEquals(b(Integer.toString(threads * each)), versioned("counter").value());
    }

    @Test
    void incrementOfANonIntegerFailsWithRedisTextAndWritesNothing() {
        requests.put(b("t"), b("abc")).join();
        CompletionException e = assertThrows(CompletionException.class, () -> requests.update(b("t"), Counter.add(1)).join());
        assertEquals(Counter.NOT_AN_INTEGER, e.getCause().getMessage());
        assertArrayEquals(b("abc"), versioned("t").value());
    }

    @Test
    void anExpiredKeyReadsAsAbsentAndCountsAsAbsentForConditions() {
        requests.write(new WriteBatch().put(b("gone"), b("v"), ConditionalWrite.expiring(1))).join();
        long future = System.currentTimeMillis() + 3_600_000;
        requests.write(new WriteBatch().put(b("kept"), b("v"), ConditionalWrite.expiring(future))).join();
        assertTrue(requests.get(b("gone"), Consistency.DEFAULT).join().isEmpty());
        assertEquals(future, versioned("kept").expiresAtMillis());
        assertTrue(writeIf(Condition.absent(b("gone")), new WriteBatch().put(b("gone"), b("again"))).applied());
        assertEquals(0, versioned("gone").expiresAtMillis(), "a put without expiry clears it");
    }

    @Test
    void theSweepDeletesExpiredKeysFromStorageButNotOnesWrittenAgainOrNotYetDue() throws Exception {
        long future = System.currentTimeMillis() + 3_600_000;
        requests.write(new WriteBatch().put(b("gone1"), b("v"), ConditionalWrite.expiring(1))
                .put(b("gone2"), b("v"), ConditionalWrite.expiring(2))
                .put(b("rewritten"), b("v"), ConditionalWrite.expiring(1))
                .put(b("later"), b("v"), ConditionalWrite.expiring(future))).join();
        requests.put(b("rewritten"), b("fresh")).join(); // written again without expiry: must survive
        long keysBefore = requests.status().keys();
        assertEquals(2, node.sweepExpired());
        assertEquals(keysBefore - 2, requests.status().keys(), "the expired records are gone from storage");
        assertArrayEquals(b("fresh"), versioned("rewritten").value());
        assertEquals(future, versioned("later").expiresAtMillis());
        assertEquals(0, node.sweepExpired(), "nothing left that is due");
    }

    @Test
    void aReplicationWithoutConditionsRefusesThemWithAClearError() throws Exception {
        node.close();
        try (ModkvNode reusing = ModkvNode.start(NodeOptions.of(Map.of("data.dir", dir.resolve("r").toString(),
                        "storage", "memory", "replication", "reusing", "transports", "", "indexes", "",
                        "metrics.listen", "off")),
                List.of(new MemoryStorageProvider(), new ReusingBatchReplicationProvider()))) {
            CompletionException e = assertThrows(CompletionException.class, () -> reusing.requests().writeIf(
                    new ConditionalWrite(List.of(Condition.absent(b("k"))), new WriteBatch().put(b("k"), b("v")))).join());
            ModkvException cause = (ModkvException) e.getCause();
            assertEquals(ErrorCode.CONDITIONS_UNSUPPORTED, cause.code());
            assertTrue(cause.getMessage().contains("cannot decide conditional writes"), cause.getMessage());
            assertTrue(reusing.requests().get(b("k"), Consistency.DEFAULT).join().isEmpty());
        }
    }
}
