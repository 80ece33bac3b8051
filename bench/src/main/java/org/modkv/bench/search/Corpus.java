package org.modkv.bench.search;

import java.util.Iterator;

/**
 * A search benchmark corpus: a fixed, repeatable sequence of documents. Every call to
 * {@link #documents()} yields the same documents in the same order, so that the modkv run and
 * the raw Lucene baseline (and a later run with the same options) index the same text.
 */
public interface Corpus {
    /** A short name for reports, e.g. {@code debian} or {@code zipf-100000}. */
    String name();

    /** How many documents {@link #documents()} yields. */
    long size();

    /** The documents, from the first; a fresh iterator each call. */
    Iterator<CorpusDocument> documents();
}
