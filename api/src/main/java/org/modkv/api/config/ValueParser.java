package org.modkv.api.config;

/** Turns the text of a config value into a typed value, or says why it cannot. */
@FunctionalInterface
public interface ValueParser<T> {
    /**
     * @param text the raw value, already trimmed
     * @return the typed value
     * @throws IllegalArgumentException with a message saying what is allowed; the schema
     *     prefixes it with the key name
     */
    T parse(String text);
}
