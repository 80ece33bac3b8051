package org.modkv.index.fulltext;

import java.util.Map;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;

/**
 * The page a query asks for, from its {@link IndexQuery#OFFSET} and {@link IndexQuery#LIMIT}
 * options, checked against {@code fulltext.limit.max} and {@code fulltext.window.max}.
 *
 * @param offset how many of the best hits to skip
 * @param limit how many hits to answer at most
 */
record Paging(int offset, int limit) {

    /** How many of the best hits the index must rank to answer this page. */
    int window() {
        return offset + limit;
    }

    /**
     * @throws ModkvException {@code INVALID_REQUEST} naming the option, its value and what is allowed
     */
    static Paging from(Map<String, String> options, FulltextOptions config) {
        long offset = number(options, IndexQuery.OFFSET, 0, 0, config.maxWindow() - 1);
        long limit = number(options, IndexQuery.LIMIT, config.defaultLimit(), 1, config.maxLimit());
        if (offset + limit > config.maxWindow()) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "offset " + offset + " + limit " + limit
                    + " is more than fulltext.window.max (" + config.maxWindow() + "); page no deeper than that");
        }
        return new Paging((int) offset, (int) limit);
    }

    private static long number(Map<String, String> options, String name, long absent, long min, long max) {
        String text = options.get(name);
        if (text == null) {
            return absent;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, name + " '" + text + "' is not a whole number; allowed "
                    + min + ".." + max);
        }
        if (value < min || value > max) {
            String why = name.equals(IndexQuery.LIMIT) && value > max ? " (fulltext.limit.max)" : "";
            throw new ModkvException(ErrorCode.INVALID_REQUEST, name + " " + value + " is out of range; allowed "
                    + min + ".." + max + why);
        }
        return value;
    }
}
