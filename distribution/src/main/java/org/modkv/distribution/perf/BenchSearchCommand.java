package org.modkv.distribution.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.modkv.bench.search.SearchBench;
import org.modkv.bench.search.SearchBenchOptions;
import org.modkv.client.ModkvClientException;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code modkv bench-search}: full-text search figures of a running node (indexing docs/s, query
 * latency over RESP, index lag under a write rate); the work is done by
 * {@code org.modkv.bench.search.SearchBench}. The options are parsed by
 * {@link SearchBenchOptions}, not picocli, because the raw Lucene baseline
 * (microbenchmarks) takes the very same options to build the same corpus and queries.
 */
@Command(name = "bench-search", description = {
    "Load a text corpus into a node and report full-text search figures.",
    "Prints result lines: INDEXING ..., QUERY ... (p50/p99 per query group), LAG ...",
    "",
    SearchBenchOptions.USAGE})
public final class BenchSearchCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SearchBenchOptions options;
        try {
            options = SearchBenchOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("modkv: " + e.getMessage());
            return ExitStatus.ERROR;
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
        try {
            new SearchBench(options, out, err).run();
            return ExitStatus.OK;
        } catch (IllegalArgumentException | IllegalStateException | IOException | ModkvClientException e) {
            spec.commandLine().getErr().println("modkv: " + e.getMessage());
            return ExitStatus.ERROR;
        }
    }
}
