package org.modkv.api.config;

/**
 * A config problem the user must fix: an unknown key, a bad value, a missing plugin. The
 * message names the key and says what is allowed. The node does not start after one.
 */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
