package org.modkv.index.tfidf;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The tfidf index's data, in memory: a term dictionary with a {@link PostingList} per term, and
 * per document its key, its terms with their sublinear frequencies and its two L2 norms (words,
 * n-grams). See docs/design/tfidf.md, "The model" and "IDF snapshots".
 *
 * <p>The weight of term t in document d is {@code (1 + ln tf) * idf(t) / |d|}, where idf and
 * the norms come from the last <em>IDF snapshot</em>: {@code idf(t) = ln((1 + N) / (1 + df(t))) + 1}
 * with N and df(t) as they were at the snapshot (a term first seen after it has df 0 there).
 * A document added after the snapshot is normalized with the snapshot's idf at once, so every
 * weight is fixed until the next snapshot, taken ({@link #withNewSnapshot}) once
 * {@link TfidfOptions#refreshAfter} documents changed ({@link #snapshotDue}): it recomputes every
 * idf and norm and compacts away deleted documents and unused terms.
 *
 * <p>Not thread-safe: {@link TfidfIndex} calls the mutators under its write lock and the
 * readers under its read lock.
 */
final class InvertedIndex {
    private final TfidfOptions options;

    // terms
    private final Map<String, Integer> termIds = new HashMap<>();
    private String[] termNames = new String[16];
    private int[] df = new int[16];
    private double[] idf = new double[16];
    /** Per term, the largest {@code (1 + ln tf) / |d|} of its postings: the MaxScore bound before idf and query weight. */
    private double[] maxWeight = new double[16];
    private PostingList[] postings = new PostingList[16];
    private int terms;

    // documents
    private Map<ByteBuffer, Integer> docIds = new HashMap<>();
    private byte[][] keys = new byte[16][];
    private int[][] docTerms = new int[16][];
    private float[][] docWeights = new float[16][];
    private double[] wordNorm = new double[16];
    private double[] ngramNorm = new double[16];
    private int docSlots;
    private int liveDocs;
    private long deadPostings;
    private long livePostings;

    // the IDF snapshot
    private long snapshotDocs;
    private long changesSinceSnapshot;
    private long snapshots;

    InvertedIndex(TfidfOptions options) {
        this.options = options;
    }

    /** Indexes {@code key} with {@code features} (feature name to raw count), replacing what it held. */
    void put(byte[] key, Map<String, Integer> features) {
        remove(key);
        if (features.isEmpty()) {
            return;
        }
        int doc = newDocSlot();
        int[] ids = new int[features.size()];
        float[] weights = new float[ids.length];
        int i = 0;
        for (Map.Entry<String, Integer> feature : features.entrySet()) {
            ids[i] = termId(feature.getKey());
            weights[i] = sublinear(feature.getValue());
            df[ids[i]]++;
            i++;
        }
        byte[] copy = key.clone();
        keys[doc] = copy;
        docTerms[doc] = ids;
        docWeights[doc] = weights;
        normalize(doc);
        addPostings(doc);
        docIds.put(ByteBuffer.wrap(copy), doc);
        liveDocs++;
        livePostings += ids.length;
        changesSinceSnapshot++;
    }

    /** Forgets {@code key}; nothing if it is not indexed. */
    void remove(byte[] key) {
        Integer doc = docIds.remove(ByteBuffer.wrap(key));
        if (doc == null) {
            return;
        }
        for (int t : docTerms[doc]) {
            df[t]--;
        }
        deadPostings += docTerms[doc].length;
        livePostings -= docTerms[doc].length;
        keys[doc] = null;
        docTerms[doc] = null;
        docWeights[doc] = null;
        liveDocs--;
        changesSinceSnapshot++;
    }

    /** Forgets everything (the snapshot too). */
    void clear() {
        termIds.clear();
        Arrays.fill(postings, 0, terms, null);
        Arrays.fill(termNames, 0, terms, null);
        terms = 0;
        docIds.clear();
        Arrays.fill(keys, 0, docSlots, null);
        Arrays.fill(docTerms, 0, docSlots, null);
        Arrays.fill(docWeights, 0, docSlots, null);
        docSlots = 0;
        liveDocs = 0;
        deadPostings = 0;
        livePostings = 0;
        snapshotDocs = 0;
        changesSinceSnapshot = 0;
    }

    /** Whether enough documents changed since the last IDF snapshot to take a new one. */
    boolean snapshotDue() {
        return changesSinceSnapshot > 0 && changesSinceSnapshot >= options.refreshAfter(snapshotDocs);
    }

    /**
     * The same documents with a new IDF snapshot, as a new index: the live documents and used
     * terms renumbered densely (order kept, so posting lists stay sorted), every idf, norm and
     * bound recomputed, the deleted documents' postings gone. One pass over all postings.
     *
     * <p>Queries may go on reading this index meanwhile: what they read (the dictionary,
     * postings, norms, keys) is left as it is. This index's document-to-term arrays and key map
     * are taken over and renumbered in place (no query reads them), so this index must not be
     * changed afterwards; the caller swaps the new one in.
     */
    InvertedIndex withNewSnapshot() {
        InvertedIndex next = new InvertedIndex(options);
        int[] newTerm = new int[terms];
        int newTerms = 0;
        for (int t = 0; t < terms; t++) {
            newTerm[t] = df[t] > 0 ? newTerms++ : -1;
        }
        int termCapacity = Math.max(16, newTerms);
        next.termNames = new String[termCapacity];
        next.df = new int[termCapacity];
        next.idf = new double[termCapacity];
        next.maxWeight = new double[termCapacity];
        next.postings = new PostingList[termCapacity];
        for (int t = 0; t < terms; t++) {
            int n = newTerm[t];
            if (n >= 0) {
                next.termNames[n] = termNames[t];
                next.df[n] = df[t];
                next.idf[n] = idf(liveDocs, df[t]);
                next.postings[n] = new PostingList(df[t]);
                next.termIds.put(termNames[t], n);
            }
        }
        next.terms = newTerms;

        int capacity = Math.max(16, liveDocs);
        next.keys = new byte[capacity][];
        next.docTerms = new int[capacity][];
        next.docWeights = new float[capacity][];
        next.wordNorm = new double[capacity];
        next.ngramNorm = new double[capacity];
        next.docIds = docIds;
        int doc = 0;
        for (int d = 0; d < docSlots; d++) {
            if (keys[d] == null) {
                continue;
            }
            int[] ids = docTerms[d];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = newTerm[ids[j]];
            }
            next.keys[doc] = keys[d];
            next.docTerms[doc] = ids;
            next.docWeights[doc] = docWeights[d];
            docIds.put(ByteBuffer.wrap(keys[d]), doc);
            doc++;
        }
        next.docSlots = doc;
        next.liveDocs = liveDocs;
        next.livePostings = livePostings;
        for (int d = 0; d < doc; d++) {
            next.normalize(d);
            next.addPostings(d);
        }
        next.snapshotDocs = liveDocs;
        next.snapshots = snapshots + 1;
        return next;
    }

    /** Appends normalized document {@code doc} to its terms' postings and raises their bounds. */
    private void addPostings(int doc) {
        int[] ids = docTerms[doc];
        float[] weights = docWeights[doc];
        for (int j = 0; j < ids.length; j++) {
            int t = ids[j];
            double normalized = weights[j] / norms(t)[doc];
            postings[t].add(doc, weights[j], normalized);
            maxWeight[t] = Math.max(maxWeight[t], normalized);
        }
    }

    /** {@code ln((1 + docs) / (1 + df)) + 1}: smoothed, and at least 1. */
    static double idf(long docs, long df) {
        return Math.log((1.0 + docs) / (1.0 + df)) + 1.0;
    }

    /** {@code 1 + ln(count)}. */
    static float sublinear(int count) {
        return (float) (1.0 + Math.log(count));
    }

    private void normalize(int doc) {
        double words = 0;
        double grams = 0;
        int[] ids = docTerms[doc];
        float[] weights = docWeights[doc];
        for (int j = 0; j < ids.length; j++) {
            double w = weights[j] * idf[ids[j]];
            if (TextFeatures.isNgram(termNames[ids[j]])) {
                grams += w * w;
            } else {
                words += w * w;
            }
        }
        wordNorm[doc] = Math.sqrt(words);
        ngramNorm[doc] = Math.sqrt(grams);
    }

    private int termId(String name) {
        Integer id = termIds.get(name);
        if (id != null) {
            return id;
        }
        if (terms == termNames.length) {
            int grown = terms + Math.max(16, terms >> 1);
            termNames = Arrays.copyOf(termNames, grown);
            df = Arrays.copyOf(df, grown);
            idf = Arrays.copyOf(idf, grown);
            maxWeight = Arrays.copyOf(maxWeight, grown);
            postings = Arrays.copyOf(postings, grown);
        }
        int t = terms++;
        termNames[t] = name;
        df[t] = 0;
        idf[t] = idf(snapshotDocs, 0);
        maxWeight[t] = 0;
        postings[t] = new PostingList(2);
        termIds.put(name, t);
        return t;
    }

    private int newDocSlot() {
        if (docSlots == keys.length) {
            int grown = docSlots + Math.max(16, docSlots >> 1);
            keys = Arrays.copyOf(keys, grown);
            docTerms = Arrays.copyOf(docTerms, grown);
            docWeights = Arrays.copyOf(docWeights, grown);
            wordNorm = Arrays.copyOf(wordNorm, grown);
            ngramNorm = Arrays.copyOf(ngramNorm, grown);
        }
        return docSlots++;
    }

    // ---------------------------------------------------------------- readers (under the read lock)

    /** The term's number, or -1 if no document holds it. */
    int term(String name) {
        Integer id = termIds.get(name);
        return id == null || df[id] == 0 ? -1 : id;
    }

    /** The idf a query term gets: the snapshot's for a known term, that of df 0 for an unknown one. */
    double queryIdf(int term) {
        return term < 0 ? idf(snapshotDocs, 0) : idf[term];
    }

    PostingList postings(int term) {
        return postings[term];
    }

    double maxWeight(int term) {
        return maxWeight[term];
    }

    /** The norms (by document number) that divide the weights of {@code term}'s block. */
    double[] norms(int term) {
        return TextFeatures.isNgram(termNames[term]) ? ngramNorm : wordNorm;
    }

    boolean isNgram(int term) {
        return TextFeatures.isNgram(termNames[term]);
    }

    /** The key of document {@code doc}, or null if it was deleted. */
    byte[] key(int doc) {
        return keys[doc];
    }

    /** One more than the highest document number in use. */
    int docSlots() {
        return docSlots;
    }

    int liveDocs() {
        return liveDocs;
    }

    int terms() {
        return terms;
    }

    long livePostings() {
        return livePostings;
    }

    long deadPostings() {
        return deadPostings;
    }

    long snapshotDocs() {
        return snapshotDocs;
    }

    long changesSinceSnapshot() {
        return changesSinceSnapshot;
    }

    long snapshots() {
        return snapshots;
    }

    /**
     * Estimated heap bytes of the document side: keys, each document's term numbers and
     * frequencies, its norms and its entry in the key map (array headers and map entries at
     * their usual 64-bit sizes with compressed pointers).
     */
    long documentBytes() {
        long bytes = (long) keys.length * (4 + 4 + 4 + 8 + 8); // the five per-document arrays
        for (int d = 0; d < docSlots; d++) {
            if (keys[d] != null) {
                bytes += 16 + keys[d].length + 16 + 4L * docTerms[d].length + 16 + 4L * docWeights[d].length
                        + 48 + 48 + 16; // ByteBuffer, map node and table slot, boxed number
            }
        }
        return bytes;
    }

    /** Estimated heap bytes of the term side: dictionary entries, per-term arrays and posting lists. */
    long termBytes() {
        long bytes = (long) termNames.length * (4 + 4 + 8 + 8 + 4);
        for (int t = 0; t < terms; t++) {
            bytes += 40 + termNames[t].length() + 48 + 16 + postings[t].memoryBytes();
        }
        return bytes;
    }
}
