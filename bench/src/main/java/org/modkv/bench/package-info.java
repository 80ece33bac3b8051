/**
 * {@code modkv bench} and {@code modkv plot} as a library.
 *
 * <p>{@code modkv bench}: build {@link org.modkv.bench.BenchOptions} (its builder holds the CLI
 * defaults; a bad value is an {@code IllegalArgumentException} with a message for the user), then
 * <pre>{@code
 * BenchResult result = new BenchRunner(options, System.err).runAndReport(System.out);
 * }</pre>
 * which prints progress lines to stderr about once a second, then the summary table and the
 * {@code RESULT ...} line to stdout, and writes the {@code --hgrm} and {@code --plot} files. A
 * {@link org.modkv.bench.BenchException} means the run could not start or its preload failed.
 *
 * <p>{@code modkv plot --out FILE A.hgrm [B.hgrm...]}:
 * {@link org.modkv.bench.LatencyPlot#plotFiles(java.util.List, java.nio.file.Path)}.
 */
package org.modkv.bench;
