package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.modkv.bench.BenchOptions.Builder;
import org.modkv.bench.BenchOptions.KeyDistribution;
import org.modkv.bench.BenchOptions.Protocol;
import org.modkv.bench.BenchOptions.Workload;

class BenchOptionsTest {

    private static BenchOptions build(UnaryOperator<Builder> settings) {
        return settings.apply(BenchOptions.builder().workload(Workload.WRITE)).build();
    }

    private static String rejection(UnaryOperator<Builder> settings) {
        return assertThrows(IllegalArgumentException.class, () -> build(settings)).getMessage();
    }

    @Test
    void builderFillsTheDocumentedDefaults() {
        BenchOptions options = build(b -> b);
        assertEquals(List.of("127.0.0.1:7379"), options.connect());
        assertEquals(Protocol.MODKV, options.protocol());
        assertEquals(16, options.clients());
        assertEquals(4, options.connections());
        assertEquals(Duration.ofSeconds(10), options.duration());
        assertEquals(0, options.requests());
        assertFalse(options.openLoop());
        assertEquals(100, options.valueSize());
        assertEquals(100_000, options.keys());
        assertEquals(KeyDistribution.UNIFORM, options.distribution());
        assertEquals(10, options.batch());
        assertEquals(Duration.ofSeconds(2), options.warmup());
        assertNull(options.hgrm());
    }

    @Test
    void respDefaultsToTheRespPortAndConnectionsFollowFewClients() {
        BenchOptions options = build(b -> b.protocol(Protocol.RESP).clients(2));
        assertEquals(List.of("127.0.0.1:6380"), options.connect());
        assertEquals(2, options.connections());
    }

    @Test
    void connectListIsSplitOnCommas() {
        BenchOptions options = build(b -> b.connect("10.0.0.1:7379, 10.0.0.2:7379,,[::1]:7000"));
        assertEquals(List.of("10.0.0.1:7379", "10.0.0.2:7379", "[::1]:7000"), options.connect());
    }

    @Test
    void requestsReplaceTheDefaultDuration() {
        BenchOptions options = build(b -> b.requests(500));
        assertNull(options.duration());
        assertEquals(500, options.requests());
    }

    @Test
    void rejectsTooFewClientsNamingTheOption() {
        assertEquals("--clients must be at least 1, was 0", rejection(b -> b.clients(0)));
    }

    @Test
    void rejectsMoreConnectionsThanClients() {
        String message = rejection(b -> b.clients(2).connections(3));
        assertTrue(message.startsWith("--connections (3) must not exceed --clients (2)"), message);
    }

    @Test
    void rejectsBadValuesWithTheOptionAndTheAllowedRange() {
        assertTrue(rejection(b -> b.connections(0)).startsWith("--connections must be at least 1"));
        assertTrue(rejection(b -> b.duration(Duration.ZERO)).startsWith("--duration must be positive"));
        assertTrue(rejection(b -> b.requests(0)).startsWith("--requests must be at least 1"));
        assertTrue(rejection(b -> b.rate(0)).startsWith("--rate must be a positive number"));
        assertTrue(rejection(b -> b.rate(-5)).startsWith("--rate must be a positive number"));
        assertEquals("--rate must be between 0.01 and 10000000 requests/s, was 0.001", rejection(b -> b.rate(0.001)));
        assertTrue(rejection(b -> b.valueSize(0)).startsWith("--value-size must be at least 1"));
        assertTrue(rejection(b -> b.valueSize(BenchOptions.MAX_VALUE_SIZE + 1)).startsWith("--value-size must be at most"));
        assertTrue(rejection(b -> b.keys(0)).startsWith("--keys must be between 1 and"));
        assertEquals("--read-ratio must be between 0 and 1, was 1.5", rejection(b -> b.readRatio(1.5)));
        assertTrue(rejection(b -> b.batch(0)).startsWith("--batch must be at least 1"));
        assertTrue(rejection(b -> b.warmup(Duration.ofSeconds(-1))).startsWith("--warmup must not be negative"));
        assertTrue(rejection(b -> b.plot(Path.of("chart.png"))).startsWith("--plot writes SVG"));
    }

    @Test
    void rejectsBadAddressesShowingTheExpectedForm() {
        assertEquals("--connect: 'localhost' is not HOST:PORT, e.g. 127.0.0.1:7379",
                rejection(b -> b.connect("localhost")));
        assertTrue(rejection(b -> b.connect("host:http")).contains("no numeric port"));
        assertTrue(rejection(b -> b.connect("host:70000")).contains("allowed 1..65535"));
        assertTrue(rejection(b -> b.connect(" , ")).startsWith("--connect needs at least one HOST:PORT"));
    }

    @Test
    void durationAndRequestsAreExclusiveInTheRecord() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BenchOptions(
                List.of("127.0.0.1:1"), Protocol.MODKV, Workload.READ, 1, 1, Duration.ofSeconds(1), 10, 0, 1, 1,
                KeyDistribution.UNIFORM, 0.5, 1, Duration.ZERO, false, null, null));
        assertEquals("--duration and --requests cannot be combined; give one of them", e.getMessage());
    }

    @Test
    void workloadIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.builder().build());
        assertEquals("--workload is required: write, read, mixed, bulk or search", e.getMessage());
    }

    @Test
    void parsesEnumNamesCaseInsensitivelyAndListsTheChoicesOtherwise() {
        assertEquals(Workload.MIXED, Workload.parse("Mixed"));
        assertEquals(KeyDistribution.ZIPFIAN, KeyDistribution.parse("zipfian"));
        assertEquals(Protocol.RESP, Protocol.parse("resp"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.parse("scan"));
        assertEquals("unknown --workload 'scan'; use write, read, mixed, bulk or search", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeyDistribution.parse("normal"));
        assertEquals("unknown --distribution 'normal'; use uniform or zipfian", e.getMessage());
    }

    @Test
    void describesTheLoadModel() {
        assertEquals("mixed (read ratio 0.9), 8 clients over 2 connections, resp protocol, open loop at 5000 requests/s",
                build(b -> b.workload(Workload.MIXED).readRatio(0.9).clients(8).connections(2)
                        .protocol(Protocol.RESP).rate(5000)).describe());
    }
}
