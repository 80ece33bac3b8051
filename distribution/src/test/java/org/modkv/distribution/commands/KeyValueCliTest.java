package org.modkv.distribution.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.replication.Consistency;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.commands.TcpCliFixture.Run;

/** {@code modkv put --if-absent|--if-present|--if-version|--ttl}, {@code get --show-version}, {@code del --if-version}, {@code incr}. */
class KeyValueCliTest extends CliTestBase {
    @BeforeEach
    void empty() {
        KERNEL.clear();
    }

    private static Run modkv(String... args) {
        return cli.modkv(args);
    }

    private static long version(String key) {
        Run get = modkv("get", key, "--show-version");
        assertEquals(ExitStatus.OK, get.status(), get.err());
        String line = get.out().lines().filter(l -> l.startsWith("version=")).findFirst().orElseThrow();
        return Long.parseLong(line.substring("version=".length()));
    }

    @Test
    void conditionalPutsWriteOnlyWhenTheConditionHoldsAndSayWhyNot() {
        Run unmet = modkv("put", "k", "v0", "--if-present");
        assertEquals(ExitStatus.NOT_FOUND, unmet.status());
        assertEquals("not written: k does not exist", unmet.err().trim());
        assertEquals(ExitStatus.OK, modkv("put", "k", "v1", "--if-absent").status());
        assertEquals(ExitStatus.NOT_FOUND, modkv("put", "k", "v2", "--if-absent").status());
        long version = version("k");
        Run swapped = modkv("put", "k", "v3", "--if-version", Long.toString(version));
        assertEquals(ExitStatus.OK, swapped.status(), swapped.err());
        assertTrue(swapped.out().startsWith("OK version="), swapped.out());
        Run stale = modkv("put", "k", "v4", "--if-version", Long.toString(version));
        assertEquals(ExitStatus.NOT_FOUND, stale.status());
        assertEquals("not written: k does not have version " + version, stale.err().trim());
        assertEquals("v3\n", modkv("get", "k").out());
        Run both = modkv("put", "k", "v", "--if-absent", "--if-present");
        assertEquals(ExitStatus.ERROR, both.status());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void delIfVersionDeletesOnlyTheVersionSeen() {
        modkv("put", "k", "v");
        long version = version("k");
        assertEquals(ExitStatus.NOT_FOUND, modkv("del", "k", "--if-version", Long.toString(version + 1)).status());
        assertEquals(ExitStatus.OK, modkv("del", "k", "--if-version", Long.toString(version)).status());
        assertEquals(ExitStatus.NOT_FOUND, modkv("get", "k").status());
    }

    @Test
    void putWithTtlStoresAnExpiryAndGetShowsIt() {
        long before = System.currentTimeMillis();
        assertEquals(ExitStatus.OK, modkv("put", "session", "s", "--ttl", "5m").status());
        Run get = modkv("get", "session", "--show-version");
        String line = get.out().lines().filter(l -> l.startsWith("expires_at_ms=")).findFirst().orElseThrow();
        assertTrue(Long.parseLong(line.substring("expires_at_ms=".length())) >= before + 300_000, line);
        Run bad = modkv("put", "x", "y", "--ttl", "5 parsecs");
        assertEquals(ExitStatus.ERROR, bad.status());
        assertTrue(bad.err().contains("unknown unit") || bad.err().contains("not a TTL"), bad.err());
        assertTrue(KERNEL.stored("x".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    void incrCountsAndRefusesNonIntegersLeavingThemAlone() {
        assertEquals("1\n", modkv("incr", "c").out());
        assertEquals("-9\n", modkv("incr", "c", "--by", "-10").out());
        modkv("put", "t", "text");
        Run refused = modkv("incr", "t");
        assertEquals(ExitStatus.ERROR, refused.status());
        assertTrue(refused.err().contains("value is not an integer or out of range"), refused.err());
        assertEquals("text", new String(KERNEL.get("t".getBytes(StandardCharsets.UTF_8), Consistency.DEFAULT).join()
                .orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void flushallNeedsYesAndThenDeletesEveryKey() {
        modkv("put", "a", "1");
        modkv("put", "b", "2");
        Run refused = modkv("flushall");
        assertEquals(ExitStatus.ERROR, refused.status());
        assertTrue(refused.err().contains("add --yes to confirm"), refused.err());
        assertEquals(ExitStatus.OK, modkv("get", "a").status(), "nothing deleted without --yes");
        Run flushed = modkv("flushall", "--yes");
        assertEquals(ExitStatus.OK, flushed.status(), flushed.err());
        assertEquals("deleted 2 keys\n", flushed.out());
        assertEquals(ExitStatus.NOT_FOUND, modkv("get", "a").status());
    }

    @Test
    void expireSetsAndPersistRemovesAnExpiry() {
        assertEquals(ExitStatus.NOT_FOUND, modkv("expire", "k", "10m").status());
        modkv("put", "k", "v");
        assertEquals(ExitStatus.NOT_FOUND, modkv("expire", "k", "--persist").status(), "no expiry to remove");
        assertEquals(ExitStatus.OK, modkv("expire", "k", "10m").status());
        assertTrue(modkv("get", "k", "--show-version").out().contains("expires_at_ms="));
        assertEquals(ExitStatus.OK, modkv("expire", "k", "--persist").status());
        assertTrue(!modkv("get", "k", "--show-version").out().contains("expires_at_ms="));
        assertEquals("v\n", modkv("get", "k").out());
        assertEquals(ExitStatus.ERROR, modkv("expire", "k").status());
    }
}
