package org.modkv.index.fulltext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.Bits;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteBatch;

/**
 * The {@code fulltext} index: one Lucene index (an {@link IndexWriter} plus a
 * {@link SearcherManager}) under the plugin's data directory. See docs/design/fulltext.md.
 *
 * <p>Threading: {@link #apply}, {@link #resync} and {@link #clear} come from the kernel's applier
 * thread. {@link #commit} comes from the kernel's committer thread, concurrently with
 * {@link #apply} but never with {@link #resync} or {@link #clear} ({@link #commitsConcurrently}):
 * {@link IndexWriter} takes documents while it flushes and fsyncs a commit, so a commit does not
 * hold up applies. {@link #query} and {@link #stats} come from any thread, concurrently. A
 * query first makes the searcher see everything applied so far (a refresh when anything changed
 * since the last one), so a query issued after {@code apply} returned sees it.
 *
 * <p>Persistence: {@link #commit} writes a Lucene commit whose user data holds the applied
 * sequence and the analysis settings; {@link #open} restores {@link #appliedSequence()} from the
 * last commit. Uncommitted changes are dropped at {@link #close} (the kernel commits first).
 */
final class FulltextIndex implements Index {
    private static final System.Logger LOG = System.getLogger(FulltextIndex.class.getName());
    static final String SEQUENCE = "modkv.sequence";
    static final String ANALYSIS = "modkv.analysis";

    private final Path directoryPath;
    private final Directory directory;
    private final Analyzer analyzer;
    private final FulltextOptions options;
    private final TextSearch textSearch;
    private final ExactValueSearch exactValueSearch;
    private final Object refreshLock = new Object();

    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    private volatile long appliedSequence;
    private volatile long committedSequence;
    /** Counts changes made through the writer (applies, resyncs, clears); queries refresh when it moved. */
    private volatile long changes;
    private volatile long refreshedChanges = -1;

    private FulltextIndex(Path directoryPath, Directory directory, FulltextOptions options, StoredData storage) {
        this.directoryPath = directoryPath;
        this.directory = directory;
        this.options = options;
        this.analyzer = TextAnalyzer.of(options);
        this.textSearch = new TextSearch(analyzer, options);
        this.exactValueSearch = new ExactValueSearch(storage, options);
    }

    /**
     * Opens (or creates) the index in {@code path}. If its last commit was built with other
     * analysis settings, it is emptied and reports sequence 0, so the kernel rebuilds it.
     *
     * @throws IOException naming the directory if the index cannot be opened
     */
    static FulltextIndex open(Path path, FulltextOptions options, StoredData storage) throws IOException {
        Directory directory = FSDirectory.open(path);
        if (directory instanceof MMapDirectory && !MMapDirectory.UNMAP_SUPPORTED) {
            LOG.log(Level.WARNING, "fulltext index in {0}: Lucene cannot unmap closed files ({1}); they stay "
                    + "mapped until garbage collection", path, MMapDirectory.UNMAP_NOT_SUPPORTED_REASON);
        }
        FulltextIndex index = new FulltextIndex(path, directory, options, storage);
        try {
            index.openWriter();
        } catch (LockObtainFailedException e) {
            directory.close();
            throw new IOException("cannot open the fulltext index in " + path + ": another process holds its lock "
                    + "(is another node running on the same data.dir?)", e);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw new IOException("cannot open the fulltext index in " + path + ": " + e.getMessage()
                    + " (delete that directory to rebuild the index from storage)", e);
        }
        return index;
    }

    private void openWriter() throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(options.ramBufferMb())
                // The applier never helps flush a segment that a commit or refresh queued: that
                // flush belongs to the committer or query thread, and the applier keeps applying.
                .setCheckPendingFlushUpdate(false)
                .setCommitOnClose(false);
        IndexWriter opened = new IndexWriter(directory, config);
        Map<String, String> committed = new LinkedHashMap<>();
        Iterable<Map.Entry<String, String>> userData = opened.getLiveCommitData();
        if (userData != null) {
            userData.forEach(entry -> committed.put(entry.getKey(), entry.getValue()));
        }
        long sequence = committed.containsKey(SEQUENCE) ? Long.parseLong(committed.get(SEQUENCE)) : 0;
        String analysis = committed.get(ANALYSIS);
        if (analysis != null && !analysis.equals(options.analysisSignature())) {
            LOG.log(Level.WARNING, "fulltext index in {0} was built with analysis ''{1}'', configured is ''{2}'': "
                    + "rebuilding it from storage", directoryPath, analysis, options.analysisSignature());
            try {
                opened.deleteAll();
            } catch (IOException | RuntimeException e) {
                opened.rollback();
                throw e;
            }
            sequence = 0;
        }
        SearcherManager openedSearchers;
        try {
            openedSearchers = new SearcherManager(opened, null);
        } catch (IOException | RuntimeException e) {
            opened.rollback();
            throw e;
        }
        writer = opened;
        searchers = openedSearchers;
        appliedSequence = sequence;
        committedSequence = sequence;
        changes++;
    }

    @Override
    public void apply(long sequence, WriteBatch batch) {
        IndexWriter w = writer;
        try {
            batch.forEach((type, buffer, ko, kl, vo, vl, mo, ml) -> {
                byte[] key = Arrays.copyOfRange(buffer, ko, ko + kl);
                try {
                    if (type == MutationType.DELETE) {
                        w.deleteDocuments(IndexedDocument.identity(key));
                    } else {
                        byte[] value = Arrays.copyOfRange(buffer, vo, vo + vl);
                        w.updateDocument(IndexedDocument.identity(key), IndexedDocument.of(key, value));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("fulltext index in " + directoryPath + " could not apply batch "
                    + sequence + ": " + e.getCause().getMessage(), e.getCause());
        }
        appliedSequence = sequence;
        changes++;
    }

    @Override
    public long appliedSequence() {
        return appliedSequence;
    }

    /**
     * Re-indexes only what differs from storage: every stored key whose value hash the index does
     * not hold is (re-)indexed, then every indexed key that storage no longer has is deleted (the
     * index's own keys are checked against {@link StoredData#get}, so no set of seen keys is
     * kept). Then commits. A writer that failed (Lucene's tragic event) is reopened first.
     */
    @Override
    public void resync(long sequence, StoredData data) throws IOException {
        if (!writer.isOpen() || writer.getTragicException() != null) {
            LOG.log(Level.WARNING, "fulltext index in {0}: reopening its writer after a failure", directoryPath);
            closeQuietly();
            openWriter();
        }
        IndexWriter w = writer;
        long[] counts = new long[3]; // scanned, indexed, deleted
        try (DirectoryReader before = DirectoryReader.open(w)) {
            IndexedHashes indexed = new IndexedHashes(before);
            try {
                data.scan(record -> {
                    counts[0]++;
                    try {
                        if (!indexed.holds(record.key(), record.value())) {
                            w.updateDocument(IndexedDocument.identity(record.key()),
                                    IndexedDocument.of(record.key(), record.value()));
                            counts[1]++;
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (LeafReaderContext leaf : before.leaves()) {
                LeafReader segment = leaf.reader();
                Bits live = segment.getLiveDocs();
                StoredFields stored = segment.storedFields();
                for (int doc = 0; doc < segment.maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    byte[] key = StoredKeys.key(stored, doc);
                    if (data.get(key).isEmpty()) {
                        w.deleteDocuments(IndexedDocument.identity(key));
                        counts[2]++;
                    }
                }
            }
        }
        appliedSequence = sequence;
        changes++;
        LOG.log(Level.INFO, "fulltext index resynced to sequence {0}: {1} stored keys checked, {2} (re)indexed, "
                + "{3} deleted", sequence, counts[0], counts[1], counts[2]);
        commit();
    }

    @Override
    public void clear() {
        try {
            writer.deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException("fulltext index in " + directoryPath + " could not be cleared", e);
        }
        appliedSequence = 0;
        changes++;
    }

    /** Yes: see the class comment. */
    @Override
    public boolean commitsConcurrently() {
        return true;
    }

    /**
     * Writes a Lucene commit recording the applied sequence, read first: every apply up to it
     * returned before the commit began, so the commit holds it (and perhaps later ones too).
     */
    @Override
    public void commit() throws IOException {
        long sequence = appliedSequence;
        IndexWriter w = writer;
        if (sequence == committedSequence && !w.hasUncommittedChanges()) {
            return;
        }
        Map<String, String> userData = new LinkedHashMap<>();
        userData.put(SEQUENCE, Long.toString(sequence));
        userData.put(ANALYSIS, options.analysisSignature());
        w.setLiveCommitData(userData.entrySet());
        w.commit();
        committedSequence = sequence;
    }

    @Override
    public IndexResult query(IndexQuery query) {
        try {
            SearcherManager manager = searchers;
            IndexSearcher searcher = acquireFresh(manager);
            try {
                return switch (query.operation()) {
                    case TextSearch.OPERATION -> textSearch.run(query, searcher);
                    case ExactValueSearch.OPERATION -> exactValueSearch.run(query, searcher);
                    default -> throw new ModkvException(ErrorCode.INVALID_REQUEST, "the fulltext index has no "
                            + "operation '" + query.operation() + "'; it answers " + TextSearch.OPERATION + " and "
                            + ExactValueSearch.OPERATION);
                };
            } finally {
                manager.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fulltext index in " + directoryPath + " could not be read", e);
        }
    }

    /**
     * A searcher of {@code manager} that sees every change made before this call: if anything
     * changed since the last refresh, refresh first (one thread refreshes, the others wait).
     */
    private IndexSearcher acquireFresh(SearcherManager manager) throws IOException {
        long target = changes;
        if (refreshedChanges != target) {
            synchronized (refreshLock) {
                if (refreshedChanges != target) {
                    manager.maybeRefreshBlocking();
                    refreshedChanges = target;
                }
            }
        }
        return manager.acquire();
    }

    /**
     * {@code docs} (keys indexed), {@code non_text_values} (values that are not UTF-8, found by
     * find-value only), {@code disk_bytes}, {@code segments}, {@code ram_bytes} (the writer's
     * buffer) and {@code committed_sequence} (the kernel reports the applied sequence itself).
     */
    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        try {
            SearcherManager manager = searchers;
            IndexSearcher searcher = acquireFresh(manager);
            try {
                stats.put("docs", (long) searcher.getIndexReader().numDocs());
                stats.put("non_text_values", (long) searcher.count(new TermQuery(
                        new Term(IndexedDocument.KIND, IndexedDocument.KIND_BINARY))));
                stats.put("segments", (long) searcher.getIndexReader().leaves().size());
            } finally {
                manager.release(searcher);
            }
            stats.put("disk_bytes", diskBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("fulltext index in " + directoryPath + " could not be read", e);
        }
        stats.put("ram_bytes", writer.ramBytesUsed());
        stats.put("committed_sequence", committedSequence);
        return stats;
    }

    private long diskBytes() throws IOException {
        long total = 0;
        for (String file : directory.listAll()) {
            try {
                total += directory.fileLength(file);
            } catch (NoSuchFileException e) {
                // merged away while we looked
            }
        }
        return total;
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            directory.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "fulltext index in " + directoryPath + ": closing its directory failed", e);
        }
    }

    private void closeQuietly() {
        try {
            searchers.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "fulltext index in " + directoryPath + ": closing its searchers failed", e);
        }
        try {
            writer.rollback(); // drops what the kernel did not commit; commit() comes first at shutdown
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "fulltext index in " + directoryPath + ": closing its writer failed", e);
        }
    }

    @Override
    public String toString() {
        return "FulltextIndex(" + directoryPath + ", applied " + appliedSequence + ")";
    }
}
