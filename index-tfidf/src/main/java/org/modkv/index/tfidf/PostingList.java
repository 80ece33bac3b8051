package org.modkv.index.tfidf;

import java.util.Arrays;

/**
 * The documents holding one term, in increasing document number, each with its sublinear term
 * frequency {@code 1 + ln(tf)}. Documents are only ever appended (a new or changed document
 * gets a number above every other); a deleted document stays in the list until the next IDF
 * refresh compacts the index, and readers skip it. Not thread-safe: {@link InvertedIndex}
 * guards it.
 */
final class PostingList {
    private int[] docs;
    private float[] weights;
    private int size;

    PostingList(int capacity) {
        docs = new int[Math.max(1, capacity)];
        weights = new float[docs.length];
    }

    void add(int doc, float weight) {
        if (size == docs.length) {
            int grown = size + Math.max(1, size >> 1);
            docs = Arrays.copyOf(docs, grown);
            weights = Arrays.copyOf(weights, grown);
        }
        docs[size] = doc;
        weights[size] = weight;
        size++;
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
        return 32L + 16 + 4L * docs.length + 16 + 4L * weights.length;
    }
}
