package org.modkv.testkit.crash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.TestPluginContext;

/**
 * Real-process crash testing for any storage plugin: a child JVM ({@link CrashWriterMain})
 * writes through the plugin and reports every acknowledged write on stdout; the harness kills
 * it with SIGKILL at a seeded random point, reopens the engine in this JVM on the same
 * directory, and checks that every acknowledged write survived and no batch is partly
 * applied. Then the next cycle starts a new child on the same directory.
 *
 * <pre>{@code
 * @Test
 * void survivesKillDuringAtomicBatches(@TempDir Path dir) throws Exception {
 *     CrashReport report = StorageCrashHarness.builder(new MyStorageProvider(), dir)
 *             .workload(CrashWorkload.ATOMIC_BATCHES)
 *             .cycles(3)
 *             .seed(42)
 *             .build()
 *             .run();
 *     assertTrue(report.acknowledgedBatches() > 0);
 * }
 * }</pre>
 *
 * <p><b>What is checked</b> after each kill: every record is exactly one the workload writes
 * (nothing torn or mixed); every acknowledged put is present unless a delete of it was
 * offered, every acknowledged delete is absent; each batch writer's slot keys all carry one
 * batch id (with its metadata), no older than its newest acknowledged batch, beside exactly
 * that batch's marker key; {@code keyCount()} matches a scan; {@code lastSequence()} is at
 * least the highest acknowledged sequence. All problems of a cycle are reported together with
 * the seed, the cycle and the child's stderr file.
 *
 * <p><b>When to kill</b> is counted in acknowledgements, not time, so the test behaves alike on
 * fast and slow machines: after a number of acknowledgements drawn from
 * {@code [minAcks, maxAcks]} plus a pause of up to {@code maxExtraDelayMs}, both from the seeded
 * random. With {@link Builder#killAfterStat} the kill also waits until the engine's stats show
 * that some background work happened (merges, say), so that it is in the line of fire.
 * Timeouts ({@code childTimeoutSeconds}) only guard against a hung child.
 *
 * <p><b>How the child sees the plugin.</b> The child runs the same {@code java} binary
 * ({@code ProcessHandle.current().info().command()}) with this JVM's {@code jdk.module.path}
 * and {@code java.class.path}, plus {@code --add-modules ALL-MODULE-PATH} so that the plugin
 * module is resolved although nothing requires it; it finds the provider with
 * {@link java.util.ServiceLoader} by the provider's class name (a plugin's provider class is
 * in a package it does not export, so it is never instantiated by name). Under Surefire's
 * module-path test execution this works as is: Surefire puts the plugin module
 * ({@code target/classes}) and its {@code requires} on the module path, the tests' other
 * dependencies (this testkit, JUnit) and {@code target/test-classes} on the class path, and
 * reports both through those two properties. In the child, test classes in the plugin's own
 * packages are shadowed by the module and unused; a test-only provider in a package of its
 * own, listed in {@code META-INF/services} of the test resources, is found on the class path.
 * If the testkit is itself a named module, the child starts
 * {@code --module org.modkv.testkit/...} and declares {@code uses} at run time
 * ({@link Module#addUses}). The options are written to an argument file
 * ({@code child-N.args} in the work directory, beside the child's stderr in
 * {@code child-N.stderr}), so a failing launch can be repeated by hand with
 * {@code java @child-N.args}. Plugins that need JVM flags (e.g. Agrona's
 * {@code --add-exports}) set the child's options with {@link Builder#childJvmArgs}.
 *
 * <p>Not thread-safe; one run at a time per instance.
 */
public final class StorageCrashHarness {
    private final StorageProvider provider;
    private final Path workDir;
    private final Settings settings;
    private final Map<String, String> config;
    private final List<String> childJvmArgs;
    private final String watchedStat;
    private final long watchedStatAtLeast;

    /** The workload and kill settings, as the verifier needs them. */
    record Settings(CrashWorkload workload, int threads, int batchSlots, int maxValueBytes, int cycles, long seed,
                    long minAcks, long maxAcks, long maxExtraDelayMs, long childTimeoutSeconds) {
    }

    private StorageCrashHarness(Builder builder) {
        this.provider = builder.provider;
        this.workDir = builder.workDir;
        this.config = Map.copyOf(builder.config);
        this.childJvmArgs = List.copyOf(builder.childJvmArgs);
        this.watchedStat = builder.watchedStat;
        this.watchedStatAtLeast = builder.watchedStatAtLeast;
        this.settings = new Settings(builder.workload, builder.threads, builder.batchSlots, builder.maxValueBytes,
                builder.cycles, builder.seed, builder.minAcks, builder.maxAcks, builder.maxExtraDelayMs,
                builder.childTimeoutSeconds);
    }

    /**
     * A harness for {@code provider} (its class name is what the child loads) working in
     * {@code workDir} (typically a JUnit {@code @TempDir}); the engine's data is in
     * {@code workDir/data}.
     */
    public static Builder builder(StorageProvider provider, Path workDir) {
        return new Builder(provider, workDir);
    }

    /** The data directory the children and the checks use. */
    public Path dataDir() {
        return workDir.resolve("data");
    }

    /**
     * Runs every cycle: start a child, let it write, kill it, reopen and check.
     *
     * @throws AssertionError naming the seed, the cycle and every problem found, or why a child
     *     did not get as far as the kill point (with the tail of its stderr)
     * @throws IOException if the engine cannot be reopened (for a plugin under test this is a
     *     finding too: the message is the engine's)
     */
    public CrashReport run() throws IOException, InterruptedException {
        Files.createDirectories(dataDir());
        Random random = new Random(settings.seed());
        AckHistory history = new AckHistory();
        CrashVerifier verifier = new CrashVerifier(settings);
        long keys = 0;
        long lastSequence = 0;
        List<Long> watchedStatAtKills = new ArrayList<>();
        for (int cycle = 0; cycle < settings.cycles(); cycle++) {
            long killAfter = history.acknowledged() + settings.minAcks()
                    + (long) (random.nextDouble() * (settings.maxAcks() - settings.minAcks() + 1));
            long extraDelayMs = (long) (random.nextDouble() * (settings.maxExtraDelayMs() + 1));
            runChild(cycle, killAfter, extraDelayMs, history);
            if (watchedStat != null) {
                watchedStatAtKills.add(history.watchedStat());
            }

            String where = "crash cycle " + (cycle + 1) + " of " + settings.cycles() + " (seed " + settings.seed()
                    + ", killed after " + history.acknowledged() + " acknowledged writes in all)";
            try (TestPluginContext context = TestPluginContext.builder().nodeId("crash-check").dataDir(dataDir())
                    .schema(provider.configSchema()).config(config).build()) {
                StorageEngine engine;
                try {
                    engine = provider.open(context);
                } catch (IOException e) {
                    throw new IOException(where + ": the engine does not reopen: " + e.getMessage(), e);
                }
                try (engine) {
                    List<String> problems = verifier.check(engine, history);
                    if (!problems.isEmpty()) {
                        throw new AssertionError(where + ", " + stderrFile(cycle) + ":\n  - "
                                + String.join("\n  - ", problems));
                    }
                    keys = engine.keyCount();
                    lastSequence = engine.lastSequence();
                }
            }
        }
        return new CrashReport(settings.cycles(), history.acknowledgedPuts(), history.acknowledgedDeletes(),
                history.acknowledgedBatches(), keys, lastSequence, watchedStatAtKills);
    }

    private void runChild(int cycle, long killAfter, long extraDelayMs, AckHistory history)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "--provider", provider.getClass().getName(),
                "--data-dir", dataDir().toAbsolutePath().toString(),
                "--workload", settings.workload().argument(),
                "--threads", Integer.toString(settings.threads()),
                "--batch-slots", Integer.toString(settings.batchSlots()),
                "--max-value-bytes", Integer.toString(settings.maxValueBytes()),
                "--cycle", Integer.toString(cycle),
                "--max-seconds", Long.toString(settings.childTimeoutSeconds() * 2)));
        config.forEach((key, value) -> args.addAll(List.of("--config", key + "=" + value)));
        if (watchedStat != null) {
            args.addAll(List.of("--report-stat", watchedStat));
        }
        List<String> command = ChildJvm.command(CrashWriterMain.class, childJvmArgs, args,
                workDir.resolve("child-" + cycle + ".args"));
        history.newChild();
        Process child = new ProcessBuilder(command)
                .redirectError(stderrFile(cycle).toFile())
                .start();
        Thread pump = new Thread(() -> pump(child.getInputStream(), history), "crash-harness-stdout-" + cycle);
        pump.setDaemon(true);
        pump.start();
        try {
            boolean reached = history.awaitAcknowledged(killAfter, watchedStat == null ? 0 : watchedStatAtLeast,
                    TimeUnit.SECONDS.toMillis(settings.childTimeoutSeconds()), child);
            if (!reached) {
                String state = child.isAlive() ? "was still running after " + settings.childTimeoutSeconds() + " s"
                        : "exited with code " + child.waitFor();
                throw new AssertionError("crash cycle " + (cycle + 1) + " (seed " + settings.seed() + "): the child "
                        + state + " before " + killAfter + " acknowledged writes" + (watchedStat == null ? ""
                        : " and stat " + watchedStat + " >= " + watchedStatAtLeast) + " (it had "
                        + history.acknowledged() + (watchedStat == null ? "" : ", " + watchedStat + " "
                        + history.watchedStat()) + "; other stdout lines: " + history.foreignLines() + "). Command: " + String.join(" ", command) + "\nstderr (" + stderrFile(cycle) + "):\n"
                        + tail(stderrFile(cycle)));
            }
            if (extraDelayMs > 0) {
                Thread.sleep(extraDelayMs);
            }
        } finally {
            child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly it leaves our end of stdout open, so acks already in the pipe drain
            if (!child.waitFor(settings.childTimeoutSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("crash cycle " + (cycle + 1) + ": the child did not die after SIGKILL");
            }
            pump.join(TimeUnit.SECONDS.toMillis(settings.childTimeoutSeconds()));
        }
    }

    /** Feeds complete lines to {@code history}; a last line cut short by the kill is dropped. */
    private static void pump(InputStream in, AckHistory history) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        history.accept(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone; what was read is what counts
        }
    }

    private Path stderrFile(int cycle) {
        return workDir.resolve("child-" + cycle + ".stderr");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a {@link StorageCrashHarness}. Defaults suit a quick run on two cores. */
    public static final class Builder {
        private final StorageProvider provider;
        private final Path workDir;
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<String> childJvmArgs = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        private CrashWorkload workload = CrashWorkload.MIXED;
        private int threads = 4;
        private int batchSlots = 16;
        private int maxValueBytes = 2048;
        private int cycles = 3;
        private long seed = 1;
        private long minAcks = 50;
        private long maxAcks = 400;
        private long maxExtraDelayMs = 20;
        private long childTimeoutSeconds = 60;
        private String watchedStat;
        private long watchedStatAtLeast;

        private Builder(StorageProvider provider, Path workDir) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        /** Raw config values for the engine, in the child and in the checks. */
        public Builder config(Map<String, String> values) {
            config.putAll(values);
            return this;
        }

        /** What the writer threads do (default {@link CrashWorkload#MIXED}). */
        public Builder workload(CrashWorkload workload) {
            this.workload = Objects.requireNonNull(workload, "workload");
            return this;
        }

        /** Writer threads in the child (default 4). */
        public Builder threads(int threads) {
            this.threads = positive("threads", threads);
            return this;
        }

        /** Slot keys per atomic batch (default 16). */
        public Builder batchSlots(int batchSlots) {
            this.batchSlots = positive("batchSlots", batchSlots);
            return this;
        }

        /** Largest value written (default 2048 bytes); sizes vary per key. */
        public Builder maxValueBytes(int maxValueBytes) {
            this.maxValueBytes = positive("maxValueBytes", maxValueBytes);
            return this;
        }

        /** Kill-and-recover cycles (default 3). */
        public Builder cycles(int cycles) {
            this.cycles = positive("cycles", cycles);
            return this;
        }

        /** Seed of the kill points; a failure message names it. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Kill after a number of acknowledgements in {@code [min, max]} per cycle (default 50..400). */
        public Builder killAfterAcknowledgements(long min, long max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("need 1 <= min <= max, got " + min + ".." + max);
            }
            this.minAcks = min;
            this.maxAcks = max;
            return this;
        }

        /** Longest extra pause between reaching the acknowledgement count and the kill (default 20 ms). */
        public Builder maxExtraDelayMs(long maxExtraDelayMs) {
            if (maxExtraDelayMs < 0) {
                throw new IllegalArgumentException("maxExtraDelayMs must be >= 0");
            }
            this.maxExtraDelayMs = maxExtraDelayMs;
            return this;
        }

        /**
         * Kills a child only once its engine also reports {@code stats().get(name)} of at least
         * {@code atLeast} (a number; the child polls it every 10 ms and prints it), so that
         * background work the test means to crash really ran: e.g. {@code ("merges", 1)}. The
         * value each child reached is in {@link CrashReport#watchedStatAtKills()}; a child that
         * does not get there within {@link #childTimeoutSeconds} fails the run.
         */
        public Builder killAfterStat(String name, long atLeast) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9_.-]+") || atLeast < 1) {
                throw new IllegalArgumentException("need a stat name of letters, digits, '_', '.' or '-' and "
                        + "atLeast >= 1, got '" + name + "', " + atLeast);
            }
            this.watchedStat = name;
            this.watchedStatAtLeast = atLeast;
            return this;
        }

        /** How long a child may take to reach the kill point before the run fails (default 60 s). */
        public Builder childTimeoutSeconds(long seconds) {
            this.childTimeoutSeconds = positive("childTimeoutSeconds", (int) Math.min(Integer.MAX_VALUE, seconds));
            return this;
        }

        /**
         * Replaces the child's extra JVM options (default {@code -Xmx256m -XX:+UseSerialGC
         * -XX:TieredStopAtLevel=1}); add flags a plugin needs, e.g. {@code --add-exports}.
         */
        public Builder childJvmArgs(String... args) {
            childJvmArgs.clear();
            childJvmArgs.addAll(List.of(args));
            return this;
        }

        public StorageCrashHarness build() {
            return new StorageCrashHarness(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }
    }
}
