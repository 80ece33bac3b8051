package org.modkv.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one {@code modkv bench} run does. Validated on construction: a bad value is an
 * {@link IllegalArgumentException} whose message names the CLI option and what is allowed
 * (e.g. {@code "--clients must be at least 1, was 0"}), fit to show the user as is.
 * {@link #builder()} fills in the defaults the CLI documents.
 *
 * @param connect {@code host:port} of the nodes (or RESP servers); connections are spread over
 *     them round-robin, so listing one address targets that node and listing several spreads the load
 * @param protocol what the targets speak
 * @param workload which requests to send
 * @param clients logical clients N; each keeps at most one request outstanding
 * @param connections connections M (1..N) the clients are multiplexed over, client {@code i}
 *     using connection {@code i % M}
 * @param duration how long to measure, after the warm-up; {@code null} when {@link #requests()} is set
 * @param requests how many requests to measure, after the warm-up; {@code 0} when {@link #duration()} is set
 * @param rate target throughput in requests/s over all clients, {@value #MIN_RATE} and up (open
 *     loop, latency measured from each request's intended send time); {@code 0} for closed loop
 * @param valueSize bytes per value written
 * @param keys size of the key space: keys {@code key:0..key:<keys-1>}, zero-padded
 * @param distribution how keys are picked from the key space
 * @param readRatio share of reads in the {@code mixed} workload, 0..1
 * @param batch entries per request in the {@code bulk} workload
 * @param warmup how long to run before measuring; requests sent then are not recorded
 * @param preload write every key once (unrecorded) before the warm-up
 * @param hgrm where to write the .hgrm percentile distribution, or {@code null}
 * @param plot where to write the SVG latency chart, or {@code null}
 */
public record BenchOptions(List<String> connect, Protocol protocol, Workload workload, int clients, int connections,
                           Duration duration, long requests, double rate, int valueSize, long keys,
                           KeyDistribution distribution, double readRatio, int batch, Duration warmup,
                           boolean preload, Path hgrm, Path plot) {

    /** Most logical clients one run may have. */
    public static final int MAX_CLIENTS = 10_000;
    /** Most connections one run may open. */
    public static final int MAX_CONNECTIONS = 1_024;
    /** Largest {@code --value-size}: 16 MiB, the client's default frame limit. */
    public static final int MAX_VALUE_SIZE = 16 * 1024 * 1024;
    /** Largest key space. */
    public static final long MAX_KEYS = 100_000_000L;
    /** Largest {@code --batch}. */
    public static final int MAX_BATCH = 10_000;
    /** Lowest {@code --rate}, in requests/s. */
    public static final double MIN_RATE = 0.01;
    /** Highest {@code --rate}, in requests/s. */
    public static final double MAX_RATE = 10_000_000;

    /** What the targets speak. */
    public enum Protocol {
        /** modkv's own protocol (the {@code tcp} transport), through {@code org.modkv.client}. */
        MODKV("127.0.0.1:7379"),
        /** RESP2: Redis, or modkv's {@code resp} transport. */
        RESP("127.0.0.1:6380");

        private final String defaultAddress;

        Protocol(String defaultAddress) {
            this.defaultAddress = defaultAddress;
        }

        /** Where a node listens by default for this protocol. */
        public String defaultAddress() {
            return defaultAddress;
        }

        /** The name used on the command line. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the allowed values */
        public static Protocol parse(String text) {
            return parseEnum(Protocol.class, "--protocol", text);
        }
    }

    /** Which requests a run sends. */
    public enum Workload {
        /** Puts of random keys. */
        WRITE,
        /** Gets of random keys (preload the keys, or reads mostly miss). */
        READ,
        /** Gets and puts, {@link BenchOptions#readRatio()} of them gets. */
        MIXED,
        /** Atomic bulk puts (MSET over RESP) of {@link BenchOptions#batch()} entries. */
        BULK,
        /** Full-text searches for one word of the vocabulary the written values are made of. */
        SEARCH;

        /** The name used on the command line. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the allowed values */
        public static Workload parse(String text) {
            return parseEnum(Workload.class, "--workload", text);
        }
    }

    /** How keys are picked from the key space. */
    public enum KeyDistribution {
        /** Every key equally likely. */
        UNIFORM,
        /** Zipfian with theta 0.99 (YCSB's constant): a few keys take most requests. */
        ZIPFIAN;

        /** The name used on the command line. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the allowed values */
        public static KeyDistribution parse(String text) {
            return parseEnum(KeyDistribution.class, "--distribution", text);
        }
    }

    /** @throws IllegalArgumentException naming the bad option and what is allowed */
    public BenchOptions {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(warmup, "warmup");
        if (workload == null) {
            throw new IllegalArgumentException("--workload is required: " + names(Workload.values()));
        }
        if (connect == null || connect.isEmpty()) {
            throw new IllegalArgumentException("--connect needs at least one HOST:PORT, e.g. " + protocol.defaultAddress());
        }
        List<String> addresses = new ArrayList<>(connect.size());
        for (String address : connect) {
            addresses.add(Address.parse(address).toString());
        }
        connect = List.copyOf(addresses);
        atLeast("--clients", clients, 1);
        atMost("--clients", clients, MAX_CLIENTS);
        atLeast("--connections", connections, 1);
        atMost("--connections", connections, MAX_CONNECTIONS);
        if (connections > clients) {
            throw new IllegalArgumentException("--connections (" + connections + ") must not exceed --clients ("
                    + clients + "): every connection needs at least one client");
        }
        if (duration != null && requests != 0) {
            throw new IllegalArgumentException("--duration and --requests cannot be combined; give one of them");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration must be positive, was " + seconds(duration));
        }
        if (duration == null && requests < 1) {
            throw new IllegalArgumentException("--requests must be at least 1, was " + requests
                    + " (or give --duration S instead)");
        }
        if (!(rate == 0 || rate >= MIN_RATE && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("--rate must be between " + MIN_RATE + " and " + (long) MAX_RATE
                    + " requests/s, was " + rate);
        }
        atLeast("--value-size", valueSize, 1);
        atMost("--value-size", valueSize, MAX_VALUE_SIZE);
        if (keys < 1 || keys > MAX_KEYS) {
            throw new IllegalArgumentException("--keys must be between 1 and " + MAX_KEYS + ", was " + keys);
        }
        if (!(readRatio >= 0 && readRatio <= 1)) {
            throw new IllegalArgumentException("--read-ratio must be between 0 and 1, was " + readRatio);
        }
        atLeast("--batch", batch, 1);
        atMost("--batch", batch, MAX_BATCH);
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must not be negative, was " + seconds(warmup));
        }
        if (plot != null && !plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
            throw new IllegalArgumentException("--plot writes SVG: name the file *.svg, was " + plot);
        }
    }

    /** A builder with the CLI's defaults; {@link Builder#workload} is the only required value. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code true} when requests are paced at {@link #rate()} (open loop). */
    public boolean openLoop() {
        return rate > 0;
    }

    /** The options as a one-line description, for the report header. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(workload.cliName());
        if (workload == Workload.MIXED) {
            out.append(" (read ratio ").append(readRatio).append(')');
        }
        if (workload == Workload.BULK) {
            out.append(" (").append(batch).append(" entries per request)");
        }
        out.append(", ").append(clients).append(clients == 1 ? " client" : " clients")
                .append(" over ").append(connections).append(connections == 1 ? " connection" : " connections")
                .append(", ").append(protocol.cliName()).append(" protocol, ");
        if (openLoop()) {
            out.append("open loop at ").append(formatRate(rate)).append(" requests/s");
        } else {
            out.append("closed loop");
        }
        return out.toString();
    }

    static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    private static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
        }
    }

    private static void atMost(String option, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException(option + " must be at most " + max + ", was " + value);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String text) {
        if (text != null) {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(text.trim())) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("unknown " + option + " '" + text + "'; use " + names(type.getEnumConstants()));
    }

    private static String names(Enum<?>[] values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(i == values.length - 1 ? " or " : ", ");
            }
            out.append(values[i].name().toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    /**
     * Collects options one by one, as a CLI parses them; {@link #build()} validates. Values not
     * set take the CLI's defaults: {@code --connect} the protocol's default address, 16 clients,
     * min(4, clients) connections, 10 s duration, closed loop, 100-byte values, 100000 keys,
     * uniform, read ratio 0.5, batch 10, 2 s warm-up, no preload, no files.
     */
    public static final class Builder {
        private List<String> connect;
        private Protocol protocol = Protocol.MODKV;
        private Workload workload;
        private int clients = 16;
        private Integer connections;
        private Duration duration;
        private Long requests;
        private Double rate;
        private int valueSize = 100;
        private long keys = 100_000;
        private KeyDistribution distribution = KeyDistribution.UNIFORM;
        private double readRatio = 0.5;
        private int batch = 10;
        private Duration warmup = Duration.ofSeconds(2);
        private boolean preload;
        private Path hgrm;
        private Path plot;

        private Builder() {
        }

        /** Addresses as given after {@code --connect}: {@code host:port[,host:port...]}. */
        public Builder connect(String hostPorts) {
            List<String> out = new ArrayList<>();
            for (String part : hostPorts.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            this.connect = out;
            return this;
        }

        public Builder connect(List<String> addresses) {
            this.connect = List.copyOf(addresses);
            return this;
        }

        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        public Builder workload(Workload workload) {
            this.workload = workload;
            return this;
        }

        public Builder clients(int clients) {
            this.clients = clients;
            return this;
        }

        public Builder connections(int connections) {
            this.connections = connections;
            return this;
        }

        /** Measure for this long; clears {@link #requests(long)}. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            this.requests = null;
            return this;
        }

        /** Measure this many requests; clears {@link #duration(Duration)}. */
        public Builder requests(long requests) {
            this.requests = requests;
            this.duration = null;
            return this;
        }

        /** Open loop at {@code rate} requests/s; must be positive. */
        public Builder rate(double rate) {
            this.rate = rate;
            return this;
        }

        public Builder valueSize(int bytes) {
            this.valueSize = bytes;
            return this;
        }

        public Builder keys(long keys) {
            this.keys = keys;
            return this;
        }

        public Builder distribution(KeyDistribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            return this;
        }

        public Builder readRatio(double readRatio) {
            this.readRatio = readRatio;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder warmup(Duration warmup) {
            this.warmup = Objects.requireNonNull(warmup, "warmup");
            return this;
        }

        public Builder preload(boolean preload) {
            this.preload = preload;
            return this;
        }

        public Builder hgrm(Path file) {
            this.hgrm = file;
            return this;
        }

        public Builder plot(Path file) {
            this.plot = file;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad option and what is allowed */
        public BenchOptions build() {
            if (rate != null && !(rate > 0)) {
                throw new IllegalArgumentException("--rate must be a positive number of requests/s, was " + rate
                        + " (leave it out for a closed loop)");
            }
            Duration runFor = duration == null && requests == null ? Duration.ofSeconds(10) : duration;
            return new BenchOptions(connect == null ? List.of(protocol.defaultAddress()) : connect, protocol, workload,
                    clients, connections == null ? Math.max(1, Math.min(4, clients)) : connections, runFor,
                    requests == null ? 0 : requests,
                    rate == null ? 0 : rate, valueSize, keys, distribution, readRatio, batch, warmup, preload,
                    hgrm, plot);
        }
    }
}
