package org.modkv.bench.search;

import java.util.Locale;

/** How the words of a benchmark query combine. */
public enum QueryKind {
    /** Every word (RESP {@code SEARCH}, Lucene {@code MUST}). */
    AND,
    /** At least one word (RESP {@code SEARCHANY}, Lucene {@code SHOULD}). */
    OR,
    /** The words next to each other in order (RESP {@code SEARCH "w1 w2"}). */
    PHRASE;

    /** Lower-case name, as in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
