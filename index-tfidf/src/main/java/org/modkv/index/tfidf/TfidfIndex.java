package org.modkv.index.tfidf;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/**
 * The {@code tfidf} index: an {@link InvertedIndex} in memory, answering {@code similar}. See
 * docs/design/tfidf.md.
 *
 * <p>Threading: {@link #apply}, {@link #resync} and {@link #clear} come from the kernel's applier
 * thread; {@link #query} and {@link #stats} from any thread. Text is analyzed before the write
 * lock is taken; the lock covers only the changes to the inverted index, and a query holds the
 * read lock while it scores, so a query sees every batch applied before it started. A new IDF
 * snapshot is built outside the lock (queries go on against the current one) and swapped in.
 *
 * <p>Persistence: none of its own. The index is rebuilt from storage at start-up (it reports
 * sequence 0, so the kernel resyncs it) and after a snapshot install ({@link #resync} builds a
 * new index off to the side and swaps it in, so queries go on meanwhile).
 */
final class TfidfIndex implements Index {
    private static final System.Logger LOG = System.getLogger(TfidfIndex.class.getName());
    /** Stored records a resync analyzes in parallel at a time. */
    private static final int RESYNC_BATCH = 1024;

    private final TfidfOptions options;
    private final TextFeatures features;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong docsScored = new AtomicLong();
    private volatile long lastDocsScored;

    private InvertedIndex index;
    private Set<ByteBuffer> nonText = new HashSet<>();
    private volatile long appliedSequence;

    TfidfIndex(TfidfOptions options) {
        this.options = options;
        this.features = new TextFeatures(options);
        this.index = new InvertedIndex(options);
    }

    /** A key's change, analyzed: features, or null for a delete; {@code text} false for a value that is not UTF-8. */
    private record Change(byte[] key, Map<String, Integer> features, boolean text) {
    }

    @Override
    public void apply(long sequence, WriteBatch batch) {
        List<Change> changes = new ArrayList<>(batch.size());
        batch.forEach((type, buffer, ko, kl, vo, vl, mo, ml) -> {
            byte[] key = Arrays.copyOfRange(buffer, ko, ko + kl);
            if (type == MutationType.DELETE) {
                changes.add(new Change(key, null, true));
            } else {
                String text = utf8OrNull(buffer, vo, vl);
                changes.add(new Change(key, text == null ? Map.of() : features.of(text), text != null));
            }
        });
        InvertedIndex current;
        lock.writeLock().lock();
        try {
            for (Change change : changes) {
                applyTo(index, nonText, change);
            }
            appliedSequence = sequence;
            current = index;
        } finally {
            lock.writeLock().unlock();
        }
        if (current.snapshotDue()) {
            InvertedIndex next = current.withNewSnapshot(); // queries go on against current meanwhile
            lock.writeLock().lock();
            try {
                index = next;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private static void applyTo(InvertedIndex target, Set<ByteBuffer> nonTextKeys, Change change) {
        if (change.features() == null) {
            target.remove(change.key());
            nonTextKeys.remove(ByteBuffer.wrap(change.key()));
            return;
        }
        target.put(change.key(), change.features());
        if (change.text()) {
            nonTextKeys.remove(ByteBuffer.wrap(change.key()));
        } else {
            nonTextKeys.add(ByteBuffer.wrap(change.key()));
        }
    }

    @Override
    public long appliedSequence() {
        return appliedSequence;
    }

    /**
     * Builds a new inverted index from a full scan (analyzing outside any lock, in parallel, so
     * queries go on against the old one), takes its IDF snapshot, then swaps it in.
     */
    @Override
    public void resync(long sequence, StoredData data) throws IOException {
        long start = System.nanoTime();
        InvertedIndex rebuilt = new InvertedIndex(options);
        Set<ByteBuffer> rebuiltNonText = new HashSet<>();
        List<StoredRecord> pending = new ArrayList<>(RESYNC_BATCH);
        data.scan(record -> {
            pending.add(record);
            if (pending.size() == RESYNC_BATCH) {
                addAnalyzed(rebuilt, rebuiltNonText, pending);
                pending.clear();
            }
        });
        addAnalyzed(rebuilt, rebuiltNonText, pending);
        InvertedIndex snapshot = rebuilt.withNewSnapshot();
        lock.writeLock().lock();
        try {
            index = snapshot;
            nonText = rebuiltNonText;
            appliedSequence = sequence;
        } finally {
            lock.writeLock().unlock();
        }
        LOG.log(Level.INFO, "tfidf index rebuilt from storage at sequence {0}: {1} documents, {2} terms in {3} ms",
                sequence, snapshot.liveDocs(), snapshot.terms(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Analyzes {@code records} in parallel (the common fork-join pool), then adds them in order. */
    private void addAnalyzed(InvertedIndex target, Set<ByteBuffer> nonTextKeys, List<StoredRecord> records) {
        List<Change> analyzed = records.parallelStream().map(record -> {
            String text = utf8OrNull(record.value(), 0, record.value().length);
            return new Change(record.key(), text == null ? Map.of() : features.of(text), text != null);
        }).toList();
        for (Change change : analyzed) {
            applyTo(target, nonTextKeys, change);
        }
    }

    @Override
    public void clear() {
        lock.writeLock().lock();
        try {
            index.clear();
            nonText.clear();
            appliedSequence = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public IndexResult query(IndexQuery query) {
        if (!query.operation().equals(SimilarRequest.OPERATION)) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "the tfidf index has no operation '"
                    + query.operation() + "'; it answers " + SimilarRequest.OPERATION);
        }
        SimilarRequest request = SimilarRequest.from(query, options);
        Map<String, Integer> textFeatures = features.of(request.text());
        lock.readLock().lock();
        try {
            List<QueryTerm> terms = QueryVector.of(textFeatures, index, options);
            boolean exhaustive = request.scorer() == SimilarRequest.Scorer.EXHAUSTIVE
                    || (request.scorer() == SimilarRequest.Scorer.AUTO && postings(terms) < options.pruneMinPostings());
            Ranking ranking = exhaustive
                    ? ExhaustiveScorer.rank(terms, index, request.window(), request.offset(), request.minScore())
                    : MaxScoreScorer.rank(terms, index, request.window(), request.offset(), request.minScore());
            long total = ranking.scored();
            if (request.exactTotal()) {
                total = ranking.matches() >= 0 ? ranking.matches()
                        : ExhaustiveScorer.rank(terms, index, 1, 0, request.minScore()).matches();
            }
            queries.incrementAndGet();
            docsScored.addAndGet(ranking.scored());
            lastDocsScored = ranking.scored();
            return new IndexResult(ranking.hits(), Math.max(total, ranking.hits().size()));
        } finally {
            lock.readLock().unlock();
        }
    }

    private static long postings(List<QueryTerm> terms) {
        long total = 0;
        for (QueryTerm term : terms) {
            total += term.postings().size();
        }
        return total;
    }

    /**
     * Documents, terms, postings and the estimated memory per document and per term; the IDF
     * snapshot's state; queries answered and documents they scored. See docs/design/tfidf.md, "Stats".
     */
    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        lock.readLock().lock();
        try {
            long docs = index.liveDocs();
            long terms = index.terms();
            long docBytes = index.documentBytes();
            long termBytes = index.termBytes();
            stats.put("docs", docs);
            stats.put("non_text_values", (long) nonText.size());
            stats.put("terms", terms);
            stats.put("postings", index.livePostings());
            stats.put("dead_postings", index.deadPostings());
            stats.put("memory_bytes", docBytes + termBytes);
            stats.put("document_bytes", docBytes);
            stats.put("term_bytes", termBytes);
            stats.put("bytes_per_document", docs == 0 ? 0L : docBytes / docs);
            stats.put("bytes_per_term", terms == 0 ? 0L : termBytes / terms);
            stats.put("idf_snapshots", index.snapshots());
            stats.put("idf_snapshot_docs", index.snapshotDocs());
            stats.put("changes_since_idf_snapshot", index.changesSinceSnapshot());
            stats.put("idf_snapshot_after_changes", options.refreshAfter(index.snapshotDocs()));
        } finally {
            lock.readLock().unlock();
        }
        long answered = queries.get();
        stats.put("queries", answered);
        stats.put("docs_scored", docsScored.get());
        stats.put("docs_scored_per_query", answered == 0 ? 0L : docsScored.get() / answered);
        stats.put("last_query_docs_scored", lastDocsScored);
        return stats;
    }

    private static String utf8OrNull(byte[] buffer, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public void close() {
        features.close();
    }

    @Override
    public String toString() {
        return "TfidfIndex(applied " + appliedSequence + ")";
    }
}
