package org.modkv.api.index;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to an index, in a form any index can define without an API change: an operation
 * name the index understands, positional arguments and named options. The built-in indexes
 * answer {@code search} (arguments: words; option {@code mode=all|any}), {@code findvalue}
 * (argument: the value) and {@code similar} (argument: text; options {@code top}, {@code min}).
 */
public record IndexQuery(String operation, List<String> arguments, Map<String, String> options) {
    public IndexQuery {
        Objects.requireNonNull(operation, "operation");
        arguments = List.copyOf(arguments);
        options = Map.copyOf(options);
    }

    public static IndexQuery of(String operation, List<String> arguments) {
        return new IndexQuery(operation, arguments, Map.of());
    }
}
