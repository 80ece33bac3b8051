package org.modkv.distribution.perf;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.modkv.bench.BenchException;
import org.modkv.bench.BenchOptions;
import org.modkv.bench.BenchRunner;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code modkv bench}: drives a node (or any RESP server, Redis included) and reports latency
 * with HdrHistogram. The work is done by {@code org.modkv.bench}; this class only maps options.
 */
@Command(name = "bench", description = {
    "Load a node and report throughput and latency percentiles (HdrHistogram).",
    "Closed loop by default; --rate runs an open loop that measures from the intended send time,",
    "so stalls are not hidden (coordinated omission). Prints progress, a summary and one line:",
    "RESULT ops=<n> errors=<n> throughput=<ops/s> p50=<ms> p90=<ms> p99=<ms> p999=<ms> max=<ms>"})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;

    @Option(names = "--connect", paramLabel = "HOST:PORT[,...]",
            description = "Nodes to drive; clients are spread over them round-robin. Default 127.0.0.1:7379 "
                    + "(modkv) or 127.0.0.1:6380 (resp).")
    String connect;
    @Option(names = "--protocol", paramLabel = "modkv|resp", defaultValue = "modkv",
            description = "Wire protocol: modkv (Protobuf over tcp) or resp (Redis); default ${DEFAULT-VALUE}.")
    String protocol;
    @Option(names = "--workload", required = true, paramLabel = "write|read|mixed|bulk|search",
            description = "What each request does.")
    String workload;
    @Option(names = "--clients", paramLabel = "N", defaultValue = "16", description = "Concurrent clients; default ${DEFAULT-VALUE}.")
    int clients;
    @Option(names = "--connections", paramLabel = "M", description = "Connections the clients share; default min(4, clients).")
    Integer connections;
    @Option(names = "--duration", paramLabel = "S", description = "Seconds to measure (default 10), or use --requests.")
    Long durationSeconds;
    @Option(names = "--requests", paramLabel = "N", description = "Requests to measure, instead of --duration.")
    Long requests;
    @Option(names = "--rate", paramLabel = "OPS", description = "Open loop at this many requests/s in total.")
    Double rate;
    @Option(names = "--value-size", paramLabel = "B", defaultValue = "100", description = "Value size in bytes; default ${DEFAULT-VALUE}.")
    int valueSize;
    @Option(names = "--keys", paramLabel = "N", defaultValue = "100000", description = "Key space size; default ${DEFAULT-VALUE}.")
    long keys;
    @Option(names = "--distribution", paramLabel = "uniform|zipfian", defaultValue = "uniform",
            description = "Key popularity; default ${DEFAULT-VALUE}.")
    String distribution;
    @Option(names = "--read-ratio", paramLabel = "R", defaultValue = "0.5",
            description = "Share of reads in the mixed workload; default ${DEFAULT-VALUE}.")
    double readRatio;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "10", description = "Entries per bulk request; default ${DEFAULT-VALUE}.")
    int batch;
    @Option(names = "--warmup", paramLabel = "S", defaultValue = "2", description = "Unrecorded warm-up seconds; default ${DEFAULT-VALUE}.")
    long warmupSeconds;
    @Option(names = "--preload", description = "Write every key once (unrecorded) before a read or mixed run.")
    boolean preload;
    @Option(names = "--hgrm", paramLabel = "FILE", description = "Write the percentile distribution (.hgrm).")
    Path hgrm;
    @Option(names = "--plot", paramLabel = "FILE", description = "Write a latency-by-percentile chart (.svg).")
    Path plot;

    @Override
    public Integer call() throws Exception {
        BenchOptions options;
        try {
            BenchOptions.Builder builder = BenchOptions.builder()
                    .protocol(BenchOptions.Protocol.parse(protocol))
                    .workload(BenchOptions.Workload.parse(workload))
                    .clients(clients).valueSize(valueSize).keys(keys)
                    .distribution(BenchOptions.KeyDistribution.parse(distribution))
                    .readRatio(readRatio).batch(batch).warmup(Duration.ofSeconds(warmupSeconds)).preload(preload);
            if (connect != null) {
                builder.connect(connect);
            }
            if (connections != null) {
                builder.connections(connections);
            }
            if (durationSeconds != null) {
                builder.duration(Duration.ofSeconds(durationSeconds));
            }
            if (requests != null) {
                builder.requests(requests);
            }
            if (rate != null) {
                builder.rate(rate);
            }
            if (hgrm != null) {
                builder.hgrm(hgrm);
            }
            if (plot != null) {
                builder.plot(plot);
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("modkv: " + e.getMessage());
            return ExitStatus.ERROR;
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
        BenchRunner runner = new BenchRunner(options, err);
        Thread stopOnSignal = new Thread(runner::stop, "modkv-bench-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            runner.runAndReport(out);
            return ExitStatus.OK;
        } catch (BenchException e) {
            spec.commandLine().getErr().println("modkv: " + e.getMessage());
            return ExitStatus.ERROR;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // already running: the hook stops the runner
            }
        }
    }
}
