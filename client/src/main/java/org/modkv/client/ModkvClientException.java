package org.modkv.client;

import java.util.Optional;

/**
 * A request failed. {@link #code()} says why in a word a program can switch on; the message
 * says it for a person (for server-side failures it is the server's own message).
 *
 * <p>Codes sent by the server: {@code INVALID_REQUEST}, {@code TOO_LARGE}, {@code OVERLOADED},
 * {@code NO_SUCH_INDEX}, {@code INDEX_NOT_READY} (the index cannot answer fresh now: retry, or ask
 * stale), {@code NOT_LEADER} (see {@link #leaderId()}), {@code UNAVAILABLE},
 * {@code STORAGE_FAILURE}, {@code STORAGE_CORRUPT} (stored data failed its checksum: the value
 * is not returned; the message names the file and offset), {@code SHUTTING_DOWN},
 * {@code INTERNAL}, {@code UNSUPPORTED_PROTOCOL_VERSION}. Codes raised by the client itself: {@code UNAVAILABLE}
 * (cannot connect, or the connection was lost: the request may or may not have been applied),
 * {@code TIMEOUT} (no reply within the request timeout: likewise), {@code TOO_LARGE} (the
 * request exceeds the server's max frame and was not sent), {@code CLOSED} (the client was
 * closed), {@code INTERRUPTED}, {@code PROTOCOL} (the server answered something this client
 * does not understand).
 */
public class ModkvClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String leaderId;

    public ModkvClientException(String code, String message) {
        this(code, message, null, null);
    }

    public ModkvClientException(String code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    public ModkvClientException(String code, String message, String leaderId, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.leaderId = leaderId;
    }

    /** Why the request failed, e.g. {@code NO_SUCH_INDEX}, {@code TOO_LARGE}, {@code UNAVAILABLE}. */
    public String code() {
        return code;
    }

    /** For {@code NOT_LEADER}: the node id of the leader, when the server knows it. */
    public Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + code + ": " + getMessage();
    }
}
