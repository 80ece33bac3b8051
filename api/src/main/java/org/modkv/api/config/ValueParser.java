package org.modkv.api.config;

/**
 * Turns the text of a config value into a typed value, or says why it cannot.
 *
 * <p>Threading: called while a config is bound, from any thread; implementations must be
 * stateless (or thread-safe) and must not block. They own nothing: the text is the caller's,
 * the returned value the config's.
 */
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
