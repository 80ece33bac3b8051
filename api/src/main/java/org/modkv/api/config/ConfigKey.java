package org.modkv.api.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One config key: its name, type, default, documentation and validation. Immutable.
 *
 * <p>Create keys with the static factories; each validates its input and produces a message
 * that says what is allowed, e.g. {@code wal.sync: 'sometimes' is not allowed; use one of
 * always, batch, none}.
 *
 * @param <T> the type of the parsed value
 */
public final class ConfigKey<T> {
    private final String name;
    private final String type;
    private final String defaultText;
    private final String doc;
    private final ValueParser<T> parser;

    private ConfigKey(String name, String type, String defaultText, String doc, ValueParser<T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.parser = Objects.requireNonNull(parser, "parser");
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)*")) {
            throw new IllegalArgumentException("config key name '" + name
                    + "' must be lower-case dot-separated words, e.g. wal.segment.bytes");
        }
        parse(defaultText); // a bad default is a plugin bug; fail at construction
    }

    /** A key with a custom parser. {@code type} describes the allowed values for humans. */
    public static <T> ConfigKey<T> of(String name, String type, String defaultText, String doc,
                                      ValueParser<T> parser) {
        return new ConfigKey<>(name, type, defaultText, doc, parser);
    }

    /** Any text. */
    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "string", defaultValue, doc, text -> text);
    }

    /** A whole number in {@code [min, max]}. */
    public static ConfigKey<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return new ConfigKey<>(name, "integer " + min + ".." + max, Integer.toString(defaultValue), doc,
                text -> (int) parseLong(text, min, max));
    }

    /** A whole number in {@code [min, max]}. */
    public static ConfigKey<Long> longInteger(String name, long defaultValue, long min, long max, String doc) {
        return new ConfigKey<>(name, "integer " + min + ".." + max, Long.toString(defaultValue), doc,
                text -> parseLong(text, min, max));
    }

    /**
     * A size in bytes in {@code [min, max]}; accepts a plain number or one with a binary suffix
     * {@code KiB}, {@code MiB}, {@code GiB} (also {@code k}, {@code m}, {@code g}).
     */
    public static ConfigKey<Long> bytes(String name, String defaultValue, long min, long max, String doc) {
        return new ConfigKey<>(name, "size in bytes " + min + ".." + max + " (suffixes KiB, MiB, GiB)",
                defaultValue, doc, text -> parseBytes(text, min, max));
    }

    /** {@code true} or {@code false}. */
    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(name, "true or false", Boolean.toString(defaultValue), doc, text -> {
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("'" + text + "' is not a boolean; use true or false");
        });
    }

    /** One of a fixed set of words. */
    public static ConfigKey<String> choice(String name, String defaultValue, String doc, String... allowed) {
        List<String> options = List.copyOf(Arrays.asList(allowed));
        String joined = String.join(", ", options);
        return new ConfigKey<>(name, "one of " + joined, defaultValue, doc, text -> {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!options.contains(lower)) {
                throw new IllegalArgumentException("'" + text + "' is not allowed; use one of " + joined);
            }
            return lower;
        });
    }

    /** A comma-separated list of names (may be empty). */
    public static ConfigKey<List<String>> list(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "comma-separated list", defaultValue, doc, ConfigKey::parseList);
    }

    /** {@code host:port}, port 0..65535 (0 picks a free port). */
    public static ConfigKey<HostPort> hostPort(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "host:port", defaultValue, doc, HostPort::parse);
    }

    public String name() {
        return name;
    }

    /** Human description of the allowed values, e.g. {@code integer 1..65536}. */
    public String type() {
        return type;
    }

    /** The default, as it would be written in a properties file. */
    public String defaultText() {
        return defaultText;
    }

    public String doc() {
        return doc;
    }

    /**
     * Parses a value for this key.
     *
     * @throws ConfigException naming this key and saying what is allowed
     */
    public T parse(String text) {
        try {
            return parser.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": " + e.getMessage());
        }
    }

    /** The parsed default. */
    public T defaultValue() {
        return parse(defaultText);
    }

    @Override
    public String toString() {
        return name + " (" + type + ", default " + (defaultText.isEmpty() ? "empty" : defaultText) + ")";
    }

    static List<String> parseList(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static long parseLong(String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number; allowed " + min + ".." + max);
        }
        checkRange(text, value, min, max);
        return value;
    }

    static long parseBytes(String text, long min, long max) {
        String lower = text.toLowerCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        String digits = lower;
        String[][] suffixes = {{"gib", "g", "gb"}, {"mib", "m", "mb"}, {"kib", "k", "kb"}, {"b"}};
        long[] units = {1L << 30, 1L << 20, 1L << 10, 1};
        outer:
        for (int i = 0; i < suffixes.length; i++) {
            for (String suffix : suffixes[i]) {
                if (lower.endsWith(suffix)) {
                    unit = units[i];
                    digits = lower.substring(0, lower.length() - suffix.length());
                    break outer;
                }
            }
        }
        long value;
        try {
            value = Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 4096, 64KiB or 1GiB, "
                    + "allowed " + min + ".." + max + " bytes");
        }
        checkRange(text, value, min, max);
        return value;
    }

    private static void checkRange(String text, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("'" + text + "' is out of range; allowed " + min + ".." + max);
        }
    }
}
