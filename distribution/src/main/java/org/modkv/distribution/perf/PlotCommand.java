package org.modkv.distribution.perf;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.modkv.bench.LatencyPlot;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code modkv plot}: overlays several .hgrm runs on one latency-by-percentile chart. */
@Command(name = "plot", description = {
    "Draw latency by percentile (log-scaled percentile axis) for one or more .hgrm files,",
    "e.g. from 'modkv bench --hgrm', overlaid on one SVG chart."})
public final class PlotCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Option(names = "--out", required = true, paramLabel = "FILE.svg", description = "The chart to write.")
    Path out;
    @Parameters(arity = "1..*", paramLabel = "FILE.hgrm", description = "Percentile distributions to overlay.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        try {
            LatencyPlot.plotFiles(inputs, out);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("modkv: " + e.getMessage());
            return ExitStatus.ERROR;
        }
        spec.commandLine().getOut().println("wrote " + out);
        return ExitStatus.OK;
    }
}
