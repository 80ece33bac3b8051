package org.modkv.api.index;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to an index, in a form any index can define without an API change: an operation
 * name the index understands, positional arguments and named options. The built-in indexes
 * answer {@code search} (argument: the query text; option {@code mode=all|any}), {@code findvalue}
 * (argument: the value) and {@code similar} (argument: text; option {@code min}); every index
 * takes the paging options {@link #OFFSET} and {@link #LIMIT}.
 */
public record IndexQuery(String operation, List<String> arguments, Map<String, String> options) {
    /** Option: how many of the best hits to skip (a non-negative integer; default 0). */
    public static final String OFFSET = "offset";
    /** Option: how many hits to return at most (a positive integer; each index sets its default and maximum). */
    public static final String LIMIT = "limit";
    /**
     * Option of {@code findvalue}: how the single argument carries the value's bytes.
     * {@code latin1} (what the transports send): each char U+0000..U+00FF is one byte, lossless
     * for any value; {@code utf-8} (the default): the argument's UTF-8 form is the value;
     * {@code base64}: standard Base64. See docs/design/search-commands.md.
     */
    public static final String VALUE_ENCODING = "value.encoding";

    public IndexQuery {
        Objects.requireNonNull(operation, "operation");
        arguments = List.copyOf(arguments);
        options = Map.copyOf(options);
    }

    public static IndexQuery of(String operation, List<String> arguments) {
        return new IndexQuery(operation, arguments, Map.of());
    }
}
