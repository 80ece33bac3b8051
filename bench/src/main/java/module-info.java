/**
 * The engine behind {@code modkv bench} and {@code modkv plot}: a load generator that drives
 * modkv nodes (through {@code org.modkv.client}) or any RESP server (through a small Netty RESP
 * client of its own), records latency into HdrHistogram without allocating, and writes the
 * {@code .hgrm} percentile distribution and an SVG latency-by-percentile chart.
 *
 * <p>Only {@code org.modkv.bench} is exported: options, runner, result, and the .hgrm and plot
 * writers. Targets, load clients and key generators stay package-private.
 *
 * <p>HdrHistogram is required transitively because {@code BenchResult.histogram()} returns its
 * {@code Histogram}; it is a file-name (automatic) module, hence the suppressed lint.
 */
@SuppressWarnings("requires-transitive-automatic")
module org.modkv.bench {
    requires org.modkv.client;
    requires transitive HdrHistogram;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;

    exports org.modkv.bench;
    exports org.modkv.bench.search;
}
