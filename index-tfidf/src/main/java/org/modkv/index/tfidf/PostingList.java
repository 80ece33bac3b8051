package org.modkv.index.tfidf;

import java.util.Arrays;

/**
 * The documents holding one term, in increasing document number, each with its sublinear term
 * frequency {@code 1 + ln(tf)}; and per block of {@value #BLOCK} postings the largest
 * {@code (1 + ln tf) / |d|} in it (the block-max bound {@link MaxScoreScorer} skips blocks with). Documents are only ever appended (a new or changed document
 * gets a number above every other); a deleted document stays in the list until the next IDF
 * refresh compacts the index, and readers skip it. Not thread-safe: {@link InvertedIndex}
 * guards it.
 */
final class PostingList {
    /** Postings per block of the block-max bounds. */
    static final int BLOCK = 64;

    private int[] docs;
    private float[] weights;
    private double[] blockMax;
    private int size;

    PostingList(int capacity) {
        docs = new int[Math.max(1, capacity)];
        weights = new float[docs.length];
        blockMax = new double[(docs.length + BLOCK - 1) / BLOCK];
    }

    /**
     * Appends {@code doc} (above every document in the list) with sublinear frequency
     * {@code weight}; {@code normalized} is {@code weight / |doc|} in the term's block.
     */
    void add(int doc, float weight, double normalized) {
        if (size == docs.length) {
            int grown = size + Math.max(1, size >> 1);
            docs = Arrays.copyOf(docs, grown);
            weights = Arrays.copyOf(weights, grown);
        }
        int block = size / BLOCK;
        if (block == blockMax.length) {
            blockMax = Arrays.copyOf(blockMax, Math.max(block + 1, (docs.length + BLOCK - 1) / BLOCK));
        }
        blockMax[block] = size % BLOCK == 0 ? normalized : Math.max(blockMax[block], normalized);
        docs[size] = doc;
        weights[size] = weight;
        size++;
    }

    /** The largest {@code (1 + ln tf) / |d|} of the block holding position {@code i}. */
    double blockMax(int i) {
        return blockMax[i / BLOCK];
    }

    /** The last document of the block holding position {@code i}. */
    int blockLastDoc(int i) {
        return docs[Math.min(size, (i / BLOCK + 1) * BLOCK) - 1];
    }

    int size() {
        return size;
    }

    int doc(int i) {
        return docs[i];
    }

    float weight(int i) {
        return weights[i];
    }

    /**
     * The first position at or after {@code from} whose document is at least {@code target}
     * (galloping, then binary search), or {@link #size()}.
     */
    int advance(int from, int target) {
        if (from >= size || docs[from] >= target) {
            return from;
        }
        int step = 1;
        int low = from;
        int high = from + 1;
        while (high < size && docs[high] < target) {
            low = high;
            step <<= 1;
            high = from + step;
        }
        high = Math.min(high, size);
        int found = Arrays.binarySearch(docs, low + 1, high, target);
        return found >= 0 ? found : -found - 1;
    }

    /** Bytes this list holds (its two arrays at their capacity, and the object). */
    long memoryBytes() {
        return 32L + 16 + 4L * docs.length + 16 + 4L * weights.length + 16 + 8L * blockMax.length;
    }
}
