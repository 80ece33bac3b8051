package org.modkv.transport.resp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;

/**
 * The options that follow the query of {@code SEARCH}, {@code SEARCHANY} and {@code FINDVALUE}:
 * {@code LIMIT offset count}, {@code WITHSCORES} (not FINDVALUE) and {@code STALE}, in any
 * order, each at most once, keywords in any case.
 *
 * <p>Where the options start: the first argument after the command is always query (so
 * {@code SEARCH stale} searches for "stale"); from {@code firstOption} on, the first argument
 * that is exactly one of the command's keywords starts the options, and every argument after
 * it must be an option. A keyword inside a quoted argument ({@code SEARCH "limit stale"}) is
 * query text. See docs/design/search-commands.md.
 *
 * @param queryEnd index one past the last query argument
 * @param offset {@code LIMIT}'s offset, or -1 if LIMIT was not given
 * @param count {@code LIMIT}'s count, or -1 if LIMIT was not given
 */
record QueryOptions(int queryEnd, long offset, long count, boolean withScores, boolean stale) {
    static final Set<String> SEARCH_KEYWORDS = Set.of("LIMIT", "WITHSCORES", "STALE");
    static final Set<String> FINDVALUE_KEYWORDS = Set.of("LIMIT", "STALE");

    /** A request whose options are wrong; the reply says what is allowed. */
    static final class BadOptions extends Exception {
        private final transient RespReply reply;

        BadOptions(RespReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }

        RespReply reply() {
            return reply;
        }
    }

    /**
     * Reads the options of {@code request}.
     *
     * @param firstOption the first argument that may be an option (2 for all three commands)
     * @param scanForStart true when the query may be several arguments (SEARCH): the options
     *     start at the first keyword at or after {@code firstOption}; false (FINDVALUE): they
     *     start exactly at {@code firstOption}
     */
    static QueryOptions parse(RespRequest request, Set<String> keywords, int firstOption, boolean scanForStart)
            throws BadOptions {
        String command = request.name();
        int start = firstOption;
        if (scanForStart) {
            while (start < request.size() && !keywords.contains(request.keyword(start))) {
                start++;
            }
        }
        long offset = -1;
        long count = -1;
        boolean withScores = false;
        boolean stale = false;
        int i = start;
        while (i < request.size()) {
            String option = request.keyword(i);
            if (!keywords.contains(option)) {
                throw new BadOptions(RespErrors.syntax("unexpected '" + RespErrors.printable(request.arg(i), 64)
                        + "' after the " + (scanForStart ? "options" : "value") + "; " + usage(command)));
            }
            boolean repeated = switch (option) {
                case "LIMIT" -> offset >= 0;
                case "WITHSCORES" -> withScores;
                default -> stale;
            };
            if (repeated) {
                throw new BadOptions(RespErrors.syntax(option + " is given twice; " + usage(command)));
            }
            switch (option) {
                case "LIMIT" -> {
                    if (i + 2 >= request.size()) {
                        throw new BadOptions(RespErrors.syntax("LIMIT needs two numbers, offset and count"));
                    }
                    offset = wholeNumber(request, i + 1, "offset", 0);
                    count = wholeNumber(request, i + 2, "count", 1);
                    i += 3;
                }
                case "WITHSCORES" -> {
                    withScores = true;
                    i++;
                }
                default -> {
                    stale = true;
                    i++;
                }
            }
        }
        return new QueryOptions(start, offset, count, withScores, stale);
    }

    private static long wholeNumber(RespRequest request, int i, String name, long min) throws BadOptions {
        try {
            long value = request.number(i);
            if (value >= min && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new BadOptions(RespReply.error("ERR LIMIT " + name + " must be a whole number from " + min + " to "
                + Integer.MAX_VALUE + ", got '" + RespErrors.printable(request.arg(i), 64) + "'"));
    }

    private static String usage(String command) {
        return command.equals("FINDVALUE")
                ? "FINDVALUE takes one value (quote it if it has spaces), then LIMIT offset count and STALE"
                : command + " takes query words, then LIMIT offset count, WITHSCORES and STALE";
    }

    /** The paging options for the index, those the user gave. */
    Map<String, String> paging() {
        Map<String, String> options = new LinkedHashMap<>();
        if (offset >= 0) {
            options.put(IndexQuery.OFFSET, Long.toString(offset));
            options.put(IndexQuery.LIMIT, Long.toString(count));
        }
        return options;
    }

    Freshness freshness() {
        return stale ? Freshness.STALE : Freshness.FRESH;
    }
}
