package org.modkv.bench.search;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.modkv.client.ClientOptions;
import org.modkv.client.KeyValue;
import org.modkv.client.ModkvClient;

/**
 * {@code modkv bench-search}: full-text search figures of a running node. In order, each step
 * when asked for:
 * <ol>
 *   <li>load: writes the corpus in bulk batches through the Java client and waits until the
 *       index has applied every write (its {@code lag_sequences} stat is 0 after the last write
 *       was acknowledged); prints
 *       {@code INDEXING corpus=<c> docs=<n> write_seconds=<> indexed_seconds=<> docs_per_s=<>};</li>
 *   <li>queries: the {@link QuerySet} over RESP, see {@link QueryPhase};</li>
 *   <li>similarity ({@code --similar N}): top-k {@code SIMILAR} over RESP with texts from
 *       {@link SimilarTexts}, see {@link SimilarPhase};</li>
 *   <li>lag: overwrites corpus documents (with the text of other ones) at a fixed rate, open
 *       loop, then prints the node's own commit-to-apply histogram
 *       ({@code LAG rate=<> seconds=<> writes=<> lag_p50_ms=<> lag_p99_ms=<> lag_max_ms=<>});
 *       that histogram counts since the node started, so start a fresh node before this step to
 *       see this load alone.</li>
 * </ol>
 * Progress goes to {@code err}, result lines to {@code out}.
 */
public final class SearchBench {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final int LAG_IN_FLIGHT = 10_000;

    private final SearchBenchOptions options;
    private final PrintStream out;
    private final PrintStream err;

    public SearchBench(SearchBenchOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    public void run() throws Exception {
        Corpus corpus = options.openCorpus();
        try (ModkvClient client = ModkvClient.connect(ClientOptions.defaults(options.connect())
                .withRequestTimeout(Duration.ofSeconds(60)).withConnections(Math.max(1, options.inFlight()), 1))) {
            if (options.load()) {
                load(client, corpus);
            }
            QuerySet queries = QuerySet.build(corpus, options.sample(), options.distinct(), options.seed());
            if (options.queries() > 0) {
                err.println("querying over RESP at " + options.resp() + (options.stale() ? " (STALE)" : ""));
                try (RespSearchClient resp = new RespSearchClient(options.resp(), options.stale())) {
                    QueryPhase.run("modkv", corpus, queries, options, resp, out);
                }
            }
            if (options.similarQueries() > 0) {
                List<String> texts = SimilarTexts.build(corpus, options.sample(), options.distinct(),
                        options.similarWords(), options.seed());
                err.println("similarity queries over RESP at " + options.resp() + (options.stale() ? " (STALE)" : ""));
                try (RespSearchClient resp = new RespSearchClient(options.resp(), options.stale())) {
                    SimilarPhase.run(corpus, texts, options, resp, client, out);
                }
            }
            if (options.lagRate() > 0) {
                lag(client, corpus);
            }
        }
    }

    private void load(ModkvClient client, Corpus corpus) throws Exception {
        err.printf("loading %d documents of %s in batches of %d%n", corpus.size(), corpus.name(), options.batch());
        Semaphore inFlight = new Semaphore(options.inFlight());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long written = 0;
        Iterator<CorpusDocument> documents = corpus.documents();
        while (documents.hasNext() && failure.get() == null) {
            List<KeyValue> batch = new ArrayList<>(options.batch());
            while (batch.size() < options.batch() && documents.hasNext()) {
                CorpusDocument document = documents.next();
                batch.add(new KeyValue(utf8(document.key()), utf8(document.text())));
            }
            inFlight.acquire();
            client.bulkPutAsync(batch).whenComplete((ok, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
            });
            written += batch.size();
        }
        inFlight.acquire(options.inFlight());
        if (failure.get() != null) {
            throw new IllegalStateException("a bulk write failed: " + failure.get().getMessage(), failure.get());
        }
        long writeNanos = System.nanoTime() - start;
        err.printf("wrote %d documents in %.1f s; waiting for the index%n", written, writeNanos / 1e9);
        awaitIndexed(client);
        long indexedNanos = System.nanoTime() - start;
        out.printf("INDEXING corpus=%s docs=%d write_seconds=%.2f indexed_seconds=%.2f docs_per_s=%.0f%n",
                corpus.name(), written, writeNanos / 1e9, indexedNanos / 1e9, written / (indexedNanos / 1e9));
    }

    /** Waits until the index has applied everything committed (all writes so far were acknowledged). */
    private void awaitIndexed(ModkvClient client) throws InterruptedException {
        String prefix = options.index() + ".";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (true) {
            Map<String, String> indexes = client.stats().getOrDefault("indexes", Map.of());
            String lag = indexes.get(prefix + "lag_sequences");
            if (lag == null) {
                throw new IllegalStateException("the node reports no index '" + options.index()
                        + "' in the indexes section of its stats (it has: " + indexes.keySet()
                        + "); start it with indexes=" + options.index());
            }
            if (lag.equals("0") && "ok".equals(indexes.get(prefix + "state"))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("index '" + options.index() + "' did not catch up within 30 minutes: " + indexes);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Overwrites corpus documents at {@code --lag-rate} (open loop): first for {@code --lag-warmup}
     * seconds unmeasured, then for {@code --lag-seconds}. Reports the node's lag percentiles since
     * its start and, from its cumulative lag counts before and after the measured load, the
     * bounds the measured writes' p50 and p99 fall within ({@link LagBuckets}).
     */
    private void lag(ModkvClient client, Corpus corpus) throws Exception {
        List<CorpusDocument> pool = new ArrayList<>();
        for (Iterator<CorpusDocument> documents = corpus.documents(); documents.hasNext() && pool.size() < options.sample(); ) {
            pool.add(documents.next());
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        String prefix = options.index() + ".";
        if (options.lagWarmupSeconds() > 0) {
            err.printf("warming up: %.0f documents/s for %d s (open loop, not measured)%n", options.lagRate(),
                    options.lagWarmupSeconds());
            writeAtRate(client, pool, random, options.lagWarmupSeconds());
            awaitIndexed(client);
        }
        Map<String, String> before = client.stats().getOrDefault("indexes", Map.of());
        err.printf("writing %.0f documents/s for %d s (open loop)%n", options.lagRate(), options.lagSeconds());
        RateLoad load = writeAtRate(client, pool, random, options.lagSeconds());
        awaitIndexed(client);
        Map<String, String> indexes = client.stats().getOrDefault("indexes", Map.of());
        LagBuckets measured = LagBuckets.between(before, indexes, prefix);
        out.printf("LAG corpus=%s rate=%.0f seconds=%.1f writes=%d achieved_per_s=%.0f skipped=%d failed=%d "
                        + "lag_p50_ms=%s lag_p99_ms=%s lag_max_ms=%s warmup_seconds=%d measured_count=%d "
                        + "measured_p50_le_ms=%s measured_p99_le_ms=%s%n",
                corpus.name(), options.lagRate(), load.seconds(), load.writes(), load.writes() / load.seconds(),
                load.skipped(), load.failures(), indexes.get(prefix + "lag_p50_ms"), indexes.get(prefix + "lag_p99_ms"),
                indexes.get(prefix + "lag_max_ms"), options.lagWarmupSeconds(), measured.count(),
                measured.boundAt(0.50), measured.boundAt(0.99));
    }

    /** What one open-loop load did. */
    private record RateLoad(double seconds, long writes, long skipped, long failures) {
    }

    private RateLoad writeAtRate(ModkvClient client, List<CorpusDocument> pool, SplittableRandom random, int seconds)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(LAG_IN_FLIGHT);
        AtomicLong failures = new AtomicLong();
        long intervalNanos = (long) (1e9 / options.lagRate());
        long total = (long) (options.lagRate() * seconds);
        long start = System.nanoTime();
        long skipped = 0;
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inFlight.tryAcquire()) {
                skipped++;
                continue;
            }
            CorpusDocument target = pool.get(random.nextInt(pool.size()));
            CorpusDocument source = pool.get(random.nextInt(pool.size()));
            CompletableFuture<Void> put = client.putAsync(utf8(target.key()), utf8(source.text()));
            put.whenComplete((ok, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(LAG_IN_FLIGHT);
        return new RateLoad((System.nanoTime() - start) / 1e9, total - skipped, skipped, failures.get());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
