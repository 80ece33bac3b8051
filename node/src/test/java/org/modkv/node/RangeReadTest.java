package org.modkv.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.KeyEntry;
import org.modkv.api.kv.KeyPage;
import org.modkv.api.kv.KeyRange;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.RequestHandler;

/** Ordered range reads through the kernel: order, prefixes, limits, a cursor that survives writes. */
class RangeReadTest {
    @TempDir
    Path dir;
    private ModkvNode node;
    private RequestHandler requests;

    @BeforeEach
    void start() throws IOException {
        node = MemoryNode.start(dir, "node.max.batch.entries", "500");
        requests = node.requests();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    private static List<String> keys(KeyPage page) {
        return page.entries().stream().map(e -> new String(e.key(), UTF_8)).toList();
    }

    @Test
    void keysComeInUnsignedByteOrderWithValuesAndAPrefixNarrowsThem() {
        requests.write(new WriteBatch().put(b("b"), b("2")).put(b("a"), b("1")).put(b("ab"), b("3"))
                .put(new byte[] {(byte) 0xC3}, b("high")).put(b("c"), b("4"))).join();
        KeyPage all = requests.range(new KeyRange(new byte[0], new byte[0], 100, false)).join();
        assertEquals(List.of("a", "ab", "b", "c"), keys(all).subList(0, 4));
        assertEquals(0xC3, all.entries().get(4).key()[0] & 0xff, "unsigned order: 0xC3 after ASCII");
        assertEquals("3", new String(all.entries().get(1).value(), UTF_8));
        assertNull(all.next());
        assertEquals(List.of("a", "ab"), keys(requests.range(KeyRange.prefix(b("a"), 100, true)).join()));
        assertEquals(0, requests.range(KeyRange.prefix(b("a"), 100, true)).join().entries().get(0).value().length);
    }

    @Test
    void aCursorResumesAfterItsPageAndNoKeyComesTwiceWhileWritesGoOn() {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 300; i++) {
            batch.put(b(String.format("k%03d", i)), b("v"));
        }
        requests.write(batch).join();
        KeyRange range = KeyRange.prefix(b("k"), 40, true);
        List<String> seen = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        KeyPage page = requests.range(range).join();
        int round = 0;
        while (true) {
            for (String key : keys(page)) {
                assertTrue(distinct.add(key), key + " returned twice");
                seen.add(key);
            }
            // Writes during the pass: delete a key ahead, add keys behind and ahead, rewrite seen ones.
            requests.write(new WriteBatch().put(b("k000-behind-" + round), b("x")).put(b("k299-ahead-" + round), b("x"))
                    .put(b(seen.get(seen.size() - 1)), b("rewritten")).delete(b("k250"))).join();
            if (!page.more()) {
                break;
            }
            page = requests.range(range.from(page.next())).join();
            round++;
        }
        assertEquals(seen.stream().sorted().toList(), seen, "in order");
        for (int i = 0; i < 300; i++) {
            String key = String.format("k%03d", i);
            assertEquals(i != 250, distinct.contains(key), key);
        }
        assertTrue(distinct.contains("k299-ahead-0"), "a key written ahead of the cursor is seen");
        assertTrue(distinct.stream().noneMatch(k -> k.startsWith("k000-behind-")), "keys behind the cursor are not");
    }

    @Test
    void deletedAndExpiredKeysAreLeftOutAndTheLimitIsChecked() {
        requests.put(b("x1"), b("1")).join();
        requests.range(KeyRange.prefix(b("x"), 10, true)).join(); // builds the directory
        requests.write(new WriteBatch().put(b("x2"), b("2")).put(b("x3"), b("3"), ConditionalWrite.expiring(1))).join();
        requests.delete(b("x1")).join();
        assertEquals(List.of("x2"), keys(requests.range(KeyRange.prefix(b("x"), 10, true)).join()));
        KeyPage one = requests.range(new KeyRange(b("x"), new byte[0], 1, false)).join();
        assertEquals(List.of("x2"), keys(one));
        assertEquals(1, one.entries().size());
        KeyEntry entry = one.entries().get(0);
        assertTrue(entry.version() > 0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                () -> requests.range(new KeyRange(new byte[0], new byte[0], 501, true)).join());
        assertTrue(e.getCause().getMessage().contains("node.max.batch.entries=500"), e.getCause().getMessage());
    }

    @Test
    void deleteAllRemovesEveryKeyPageByPage() {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 1200; i++) { // more than one page of node.max.batch.entries=500
            batch.put(b("d" + i), b("v"));
            if (batch.size() == 400) {
                requests.write(batch).join();
                batch = new WriteBatch();
            }
        }
        assertEquals(1200L, requests.deleteAll().join());
        assertEquals(0, requests.status().keys());
        assertTrue(requests.range(KeyRange.prefix(new byte[0], 10, true)).join().entries().isEmpty());
        assertEquals(0L, requests.deleteAll().join());
    }
}
