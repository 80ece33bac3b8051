package org.modkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Runs one benchmark: connect, optionally preload, warm up (unrecorded), measure, report.
 *
 * <p><b>Load model.</b> {@link BenchOptions#clients()} logical clients are multiplexed over
 * {@link BenchOptions#connections()} connections (client {@code i} on connection {@code i % M},
 * connection {@code j} to address {@code j % addresses}). Each client keeps one request
 * outstanding: closed loop, it sends the next as soon as the last completes; open loop
 * ({@code --rate}), it sends on a fixed schedule and latency is measured from the intended send
 * time, as wrk2 does (see {@link LoadClient}).
 *
 * <p><b>Progress.</b> About once a second a line goes to the progress stream given to the
 * constructor: elapsed time, phase, requests/s over the last second, p99 so far and errors.
 *
 * <p><b>Threads.</b> {@link #run()} blocks the calling thread until the run ends and may be
 * called once. {@link #stop()} may be called from any thread (a Ctrl-C handler, say).
 */
public final class BenchRunner {
    private static final System.Logger LOG = System.getLogger(BenchRunner.class.getName());
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);
    /** How long outstanding requests may take to complete once the run is over. */
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(15);
    /** A run with nothing completing for this long is stopped. */
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(15);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final BenchOptions options;
    private final PrintStream progress;
    private final long seed;
    private final Function<BenchOptions, TargetSet> connector;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile RunControl control;

    /**
     * @param options what to run
     * @param progress where the live progress lines go, or {@code null} for none
     */
    public BenchRunner(BenchOptions options, PrintStream progress) {
        this(options, progress, System.nanoTime(), o -> TargetSet.open(o, CONNECT_TIMEOUT, REQUEST_TIMEOUT));
    }

    /**
     * As above, with the seed of every random choice (keys, values, mix) fixed and the targets
     * opened by {@code connector}: for tests.
     */
    BenchRunner(BenchOptions options, PrintStream progress, long seed, Function<BenchOptions, TargetSet> connector) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = progress;
        this.seed = seed;
        this.connector = connector;
    }

    /**
     * {@link #run()}, then prints the summary table and the {@code RESULT} line to {@code out}
     * and writes the {@code --hgrm} and {@code --plot} files the options name.
     *
     * @throws BenchException if the run cannot start or the preload fails
     * @throws IOException if a report file cannot be written
     */
    public BenchResult runAndReport(PrintStream out) throws IOException {
        BenchResult result = run();
        out.print(result.summaryTable());
        out.println();
        out.println(result.resultLine());
        if (result.ops() == 0 && (options.hgrm() != null || options.plot() != null)) {
            out.println("no request succeeded: no latency distribution or plot written");
            return result;
        }
        if (options.hgrm() != null) {
            HgrmWriter.write(result.histogram(), options.hgrm());
            out.println("latency distribution written to " + options.hgrm());
        }
        if (options.plot() != null) {
            String text = HgrmWriter.toText(result.histogram());
            LatencyPlot.write(List.of(HgrmReader.parse(seriesName(), text)), options.plot());
            out.println("latency plot written to " + options.plot());
        }
        return result;
    }

    /**
     * Runs the benchmark and returns what it measured; the connections are closed on return.
     *
     * @throws BenchException if a target cannot be reached or the preload fails
     * @throws IllegalStateException if this runner has run already
     */
    public BenchResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a BenchRunner runs once; create another");
        }
        SplittableRandom seeds = new SplittableRandom(seed);
        if (options.distribution() == BenchOptions.KeyDistribution.ZIPFIAN && options.keys() > 10_000_000) {
            LOG.log(System.Logger.Level.INFO, "computing zipfian constants for " + options.keys() + " keys");
        }
        KeyChooser keys = KeyChooser.of(options.distribution(), options.keys());
        KeyFormat keyFormat = new KeyFormat(options.keys());
        ValuePool values = new ValuePool(options.valueSize(), seeds.nextLong());
        try (TargetSet targets = connector.apply(options)) {
            ErrorTally tally = new ErrorTally();
            LatencyRecording recording = new LatencyRecording(targets.size());
            Lane[] lanes = new Lane[targets.size()];
            for (int j = 0; j < lanes.length; j++) {
                lanes[j] = new Lane(targets.get(j), recording.recorderFor(j), tally);
            }
            if (options.preload()) {
                new Preloader(lanes, keyFormat, values, options.keys(), options.clients(), STALL_NS).run(progress);
            }
            return measure(lanes, recording, tally, keys, keyFormat, values, seeds, targets.addresses());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /** Stops sending; {@link #run()} returns once outstanding requests complete. */
    public void stop() {
        stopRequested = true;
        RunControl running = control;
        if (running != null) {
            running.stop();
        }
    }

    private BenchResult measure(Lane[] lanes, LatencyRecording recording, ErrorTally tally, KeyChooser keys,
                                KeyFormat keyFormat, ValuePool values, SplittableRandom seeds, List<String> addresses)
            throws InterruptedException {
        int n = options.clients();
        long durationNs = options.duration() == null ? 0 : options.duration().toNanos();
        long intervalNs = options.openLoop() ? Math.max(1, Math.round(n * 1e9 / options.rate())) : 0;
        PacingQueue pacer = new PacingQueue(n);
        long startNs = System.nanoTime();
        RunControl run = new RunControl(startNs, options.warmup().toNanos(), durationNs, options.requests(), n);
        this.control = run;
        if (stopRequested) {
            run.stop();
        }
        LoadClient[] clients = new LoadClient[n];
        for (int i = 0; i < n; i++) {
            clients[i] = new LoadClient(lanes[i % lanes.length], run, pacer, options, keys, keyFormat, values,
                    seeds.nextLong(), intervalNs);
        }
        pacer.start();
        for (int i = 0; i < n; i++) {
            // open loop: the clients' schedules interleave, client i offset by i/R
            clients[i].start(startNs + (options.openLoop() ? Math.round(i * 1e9 / options.rate()) : 0));
        }

        Progress meter = new Progress(lanes, recording, run);
        long nextTick = startNs + TICK_NS;
        long lastActivityNs = startNs;
        long stopSeenNs = Long.MAX_VALUE;
        // an open loop at a low rate may rightly see nothing complete for a while
        long stallLimitNs = STALL_NS + 2 * intervalNs;
        boolean ended = false;
        while (!run.awaitFinished(nextTick - System.nanoTime())) {
            long now = System.nanoTime();
            if (now < nextTick) {
                continue;
            }
            nextTick += TICK_NS;
            if (meter.tick(now, progress)) {
                lastActivityNs = now;
            }
            if (stopRequested && stopSeenNs == Long.MAX_VALUE) {
                stopSeenNs = now;
            }
            // When sending ended (duration over, or stop asked); MAX_VALUE while it goes on.
            long endedAt = Math.min(run.endNs, stopSeenNs);
            boolean drainOver = endedAt != Long.MAX_VALUE && now - endedAt > DRAIN_NS;
            if (now - lastActivityNs > stallLimitNs || drainOver) {
                run.stop();
                ended = true;
                LOG.log(System.Logger.Level.WARNING, run.running() + " requests still unanswered; ending the run");
                break;
            }
        }
        long finishedNs = ended || run.finishedNs() == 0 ? System.nanoTime() : run.finishedNs();
        run.stop();
        pacer.stop();
        recording.sweep();
        Histogram total = recording.total();

        long errors = 0;
        long misses = 0;
        for (Lane lane : lanes) {
            errors += lane.errors();
            misses += lane.misses();
        }
        int unanswered = 0;
        for (LoadClient client : clients) {
            if (!client.finished()) {
                unanswered++;
            }
        }
        if (unanswered > 0 && finishedNs > run.measureStartNs) {
            errors += unanswered;
            tally.add("no reply before the run ended", unanswered);
        }
        long elapsedNs = Math.max(0, finishedNs - run.measureStartNs);
        return new BenchResult(options, addresses, total, errors, misses, elapsedNs, tally.snapshot());
    }

    private String seriesName() {
        return options.protocol().cliName() + " " + options.workload().cliName()
                + (options.openLoop() ? " @" + BenchOptions.formatRate(options.rate()) + "/s" : "");
    }

    /** The progress line: sweeps the recorders each tick and prints what the last second did. */
    private static final class Progress {
        private final Lane[] lanes;
        private final LatencyRecording recording;
        private final RunControl run;
        private long lastNs;
        private long lastWarmup;
        private long lastErrors;
        private long measuredOps;

        Progress(Lane[] lanes, LatencyRecording recording, RunControl run) {
            this.lanes = lanes;
            this.recording = recording;
            this.run = run;
            this.lastNs = run.startNs;
        }

        /** Prints one line (if {@code out} is not null); {@code true} if any request completed since the last tick. */
        boolean tick(long now, PrintStream out) {
            long ops = recording.sweep();
            measuredOps += ops;
            long warmup = 0;
            long errors = 0;
            long warmupErrors = 0;
            for (Lane lane : lanes) {
                warmup += lane.warmupOps();
                errors += lane.errors();
                warmupErrors += lane.warmupErrors();
            }
            long completed = ops + (warmup - lastWarmup) + (errors + warmupErrors - lastErrors);
            double seconds = (now - lastNs) / 1e9;
            double rate = (ops + warmup - lastWarmup) / Math.max(seconds, 1e-9);
            // the phase most of the last second was in
            boolean warmingUp = lastNs + (now - lastNs) / 2 < run.measureStartNs;
            lastWarmup = warmup;
            lastErrors = errors + warmupErrors;
            lastNs = now;
            if (out != null) {
                double elapsed = (now - run.startNs) / 1e9;
                if (warmingUp) {
                    out.printf(Locale.ROOT, "%6.1fs  warming up  %10.0f ops/s  %17s  %d errors%n",
                            elapsed, rate, "", warmupErrors);
                } else {
                    double p99 = measuredOps == 0 ? 0
                            : recording.total().getValueAtPercentile(99) / HgrmWriter.NANOS_PER_MILLI;
                    out.printf(Locale.ROOT, "%6.1fs  measuring   %10.0f ops/s  p99 %10.3f ms  %d errors%n",
                            elapsed, rate, p99, errors);
                }
                out.flush();
            }
            return completed > 0;
        }
    }
}
