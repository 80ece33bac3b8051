package org.modkv.index.fulltext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

class FindValueTest {
    private static final byte[] BINARY = {(byte) 0xff, 0, (byte) 0xc3, 0x28, (byte) 0x80, 'x'};

    @TempDir
    Path dir;

    @Test
    void findsBinaryAndTextValuesInKeyOrderWithScoreOne() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch batch = new WriteBatch()
                .put(bytes("b"), BINARY).put(new byte[] {(byte) 0x80}, BINARY).put(bytes("a"), BINARY)
                .put(bytes("c"), bytes("hello world")).put(bytes("d"), bytes("hello"));
        storage.write(1, batch);
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            index.apply(1, batch);
            IndexResult latin1 = findValue(index, new String(BINARY, StandardCharsets.ISO_8859_1), "latin1", 0, 10);
            assertEquals(List.of(hit("a"), hit("b"), new ScoredKey(new byte[] {(byte) 0x80}, 1.0)), latin1.hits());
            assertEquals(3, latin1.totalHits());
            IndexResult base64 = findValue(index, Base64.getEncoder().encodeToString(BINARY), "base64", 1, 1);
            assertEquals(List.of(hit("b")), base64.hits());
            assertEquals(3, base64.totalHits());
            assertEquals(List.of(hit("d")), findValue(index, "hello", null, 0, 10).hits());
            assertEquals(List.of(hit("c")), findValue(index, "hello world", "utf-8", 0, 10).hits());
            assertEquals(0, findValue(index, "hello worl", null, 0, 10).totalHits());
            // binary values are found by value but are no text: a search for anything matches text only
            assertEquals(List.of("c", "d"), IndexFixture.search(index, "-nothing", "all", 0, 10).hits().stream()
                    .map(h -> SearchOracle.utf8(h.key())).sorted().toList());
            assertEquals(Map.of("docs", 5L, "non_text_values", 3L), Map.of("docs", index.stats().get("docs"),
                    "non_text_values", index.stats().get("non_text_values")));
        }
    }

    @Test
    void valuesSharingAHashBucketAreToldApartByTheirWholeHash() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch batch = new WriteBatch();
        Map<String, Integer> perBucket = new HashMap<>();
        int values = 2_000; // about 30 pairs of values share one of the 65,536 buckets
        for (int i = 0; i < values; i++) {
            byte[] value = bytes("value " + i);
            batch.put(bytes("k" + i), value);
            perBucket.merge(IndexedDocument.hashBucket(IndexedDocument.sha256(value)).bytes().toString(), 1,
                    Integer::sum);
        }
        assertTrue(perBucket.values().stream().anyMatch(n -> n > 1), "some values share a bucket");
        storage.write(1, batch);
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            index.apply(1, batch);
            for (int i = 0; i < values; i++) {
                IndexResult found = findValue(index, "value " + i, null, 0, 10);
                assertEquals(List.of(hit("k" + i)), found.hits(), "value " + i);
                assertEquals(1, found.totalHits(), "value " + i);
            }
            assertEquals(0, findValue(index, "value " + values, null, 0, 10).totalHits());
        }
    }

    @Test
    void answersOnlyKeysWhoseStoredValueIsTheValue() throws Exception {
        MemoryStoredData indexed = new MemoryStoredData();
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 30; i++) {
            batch.put(bytes(String.format("key%02d", i)), BINARY);
        }
        indexed.write(1, batch);
        // storage disagrees with what the index saw for every third key, as after a hash
        // collision or a write the index has not applied yet
        StoredData disagreeing = new StoredData() {
            @Override
            public Optional<StoredRecord> get(byte[] key) {
                int n = Integer.parseInt(new String(key, StandardCharsets.UTF_8).substring(3));
                return n % 3 == 0 ? Optional.of(new StoredRecord(key, bytes("other"), null)) : indexed.get(key);
            }

            @Override
            public void scan(Consumer<StoredRecord> visitor) {
                indexed.scan(visitor);
            }

            @Override
            public long lastSequence() {
                return 1;
            }
        };
        try (Index index = IndexFixture.open(dir, disagreeing, Map.of())) {
            index.apply(1, batch);
            String value = Base64.getEncoder().encodeToString(BINARY);
            IndexResult all = findValue(index, value, "base64", 0, 100);
            assertEquals(20, all.hits().size());
            assertEquals(20, all.totalHits());
            for (ScoredKey hit : all.hits()) {
                int n = Integer.parseInt(new String(hit.key(), StandardCharsets.UTF_8).substring(3));
                assertTrue(n % 3 != 0, "key" + n + " holds another value in storage");
            }
            // pages skip rejected candidates: page 2 of 5 holds the 6th..10th verified keys
            IndexResult page = findValue(index, value, "base64", 5, 5);
            assertEquals(all.hits().subList(5, 10), page.hits());
        }
    }

    @Test
    void refusesBadArgumentsWithWhatIsAllowed() throws Exception {
        try (Index index = IndexFixture.open(dir, new MemoryStoredData(), Map.of())) {
            assertInvalid("utf-8, latin1, base64", () -> findValue(index, "x", "hex", 0, 1));
            assertInvalid("U+0100", () -> findValue(index, "\u0100", "latin1", 0, 1));
            assertInvalid("Base64", () -> findValue(index, "@@@", "base64", 0, 1));
            assertInvalid("exactly one argument", () -> index.query(IndexQuery.of("findvalue", List.of("a", "b"))));
            assertInvalid("allowed: limit, offset, value.encoding",
                    () -> index.query(new IndexQuery("findvalue", List.of("a"), Map.of("mode", "all"))));
        }
    }

    static void assertInvalid(String expected, Runnable query) {
        ModkvException e = assertThrows(ModkvException.class, query::run);
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static IndexResult findValue(Index index, String value, String encoding, int offset, int limit) {
        Map<String, String> options = new java.util.HashMap<>(Map.of("offset", Integer.toString(offset),
                "limit", Integer.toString(limit)));
        if (encoding != null) {
            options.put(IndexQuery.VALUE_ENCODING, encoding);
        }
        return index.query(new IndexQuery("findvalue", List.of(value), options));
    }

    private static ScoredKey hit(String key) {
        return new ScoredKey(bytes(key), 1.0);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
