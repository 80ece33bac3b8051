package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.Transport;
import org.modkv.client.ModkvClient;
import org.modkv.client.ModkvClientException;
import org.modkv.client.TxnResult;
import org.modkv.client.VersionedEntry;
import org.modkv.testkit.transport.InMemoryRequestHandler;

/** Versions, conditional writes (Txn), counters and TTLs through the Java client and the tcp protocol. */
class TcpConditionalWriteTest {
    private final InMemoryRequestHandler handler = TcpTestContexts.handler();
    private Transport transport;
    private ModkvClient client;

    @BeforeEach
    void start() throws Exception {
        transport = new TcpTransportProvider().start(TcpTestContexts.context(Map.of(), handler));
        client = ModkvClient.connect(transport.endpoints().get(0).hostPort());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        transport.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void versionsAreReadWithValuesAndCompareAndSetUsesThem() {
        assertTrue(client.getVersioned(b("k")).isEmpty());
        assertTrue(client.putIfAbsent(b("k"), b("v1")));
        assertFalse(client.putIfAbsent(b("k"), b("other")));
        VersionedEntry seen = client.getVersioned(b("k")).orElseThrow();
        assertArrayEquals(b("v1"), seen.value());
        assertTrue(client.compareAndSet(b("k"), seen.version(), b("v2")));
        assertFalse(client.compareAndSet(b("k"), seen.version(), b("v3")), "the version moved on");
        assertArrayEquals(b("v2"), client.get(b("k")).orElseThrow());
        assertTrue(client.getVersioned(b("k")).orElseThrow().version() > seen.version());
    }

    @Test
    void aTxnAppliesAllItsWritesOnlyWhenEveryCompareHolds() {
        client.put(b("a"), b("1"));
        long a = client.getVersioned(b("a")).orElseThrow().version();
        TxnResult refused = client.txn().ifVersion(b("a"), a).ifPresent(b("missing"))
                .put(b("x"), b("new")).delete(b("a")).commit();
        assertFalse(refused.applied());
        assertTrue(client.get(b("x")).isEmpty());
        assertTrue(client.get(b("a")).isPresent());
        TxnResult applied = client.txn().ifVersion(b("a"), a).ifAbsent(b("missing"))
                .put(b("x"), b("new")).delete(b("a")).commit();
        assertTrue(applied.applied());
        assertEquals(applied.version(), client.getVersioned(b("x")).orElseThrow().version());
        assertTrue(client.get(b("a")).isEmpty());
    }

    @Test
    void countersIncrementAndRefuseNonIntegers() {
        assertEquals(5, client.increment(b("c"), 5));
        assertEquals(2, client.increment(b("c"), -3));
        client.put(b("t"), b("twelve"));
        ModkvClientException e = assertThrows(ModkvClientException.class, () -> client.increment(b("t"), 1));
        assertEquals("INVALID_REQUEST", e.code());
        assertTrue(e.getMessage().contains("value is not an integer or out of range"), e.getMessage());
    }

    @Test
    void rangePagesListKeysInOrderAndResumeFromNext() {
        for (String key : new String[] {"b", "a2", "a1", "c"}) {
            client.put(b(key), b("v-" + key));
        }
        org.modkv.client.KeyPage first = client.range(b("a"), new byte[0], 2, false);
        assertEquals(java.util.List.of("a1", "a2"), first.entries().stream()
                .map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList());
        assertArrayEquals(b("v-a1"), first.entries().get(0).value());
        org.modkv.client.KeyPage second = client.range(first.next().orElseThrow(), new byte[0], 2, true);
        assertEquals(java.util.List.of("b", "c"), second.entries().stream()
                .map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList());
        assertEquals(0, second.entries().get(0).value().length, "keys only");
        assertTrue(second.next().isEmpty());
        assertEquals(2, client.range(b("a"), ModkvClient.prefixEnd(b("a")), 10, true).entries().size());
    }

    @Test
    void aPutWithATtlCarriesItsExpiry() {
        long before = System.currentTimeMillis();
        client.put(b("session"), b("s"), Duration.ofHours(1));
        long expiresAt = client.getVersioned(b("session")).orElseThrow().expiresAtMillis();
        assertTrue(expiresAt >= before + 3_600_000, "expires an hour after the put: " + expiresAt);
        client.put(b("session"), b("s2"));
        assertEquals(0, client.getVersioned(b("session")).orElseThrow().expiresAtMillis(), "a plain put clears it");
        assertThrows(IllegalArgumentException.class, () -> client.put(b("x"), b("y"), Duration.ofSeconds(-1)));
        assertFalse(client.expire(b("absent"), Duration.ofMinutes(1)));
        assertTrue(client.expire(b("session"), Duration.ofMinutes(1)));
        assertTrue(client.getVersioned(b("session")).orElseThrow().expiresAtMillis() > before);
        assertArrayEquals(b("s2"), client.get(b("session")).orElseThrow(), "EXPIRE keeps the value");
        assertTrue(client.persist(b("session")));
        assertFalse(client.persist(b("session")), "nothing left to remove");
        assertEquals(0, client.getVersioned(b("session")).orElseThrow().expiresAtMillis());
    }
}
