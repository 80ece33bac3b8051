package org.modkv.testkit.transport;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A client of one transport's wire protocol, as {@link TransportContract} drives it: one
 * connection, blocking calls, raw bytes in and out. A transport's test module implements it
 * with the simplest client of its protocol (raw frames rather than a library that checks
 * limits on its side, so that the transport is what refuses).
 *
 * <p>When the server answers with an error, a call throws {@link ErrorReply} carrying the text
 * the client would show; when the connection is gone, it throws an {@link IOException} (or an
 * unchecked exception of the client library). Waits inside a probe are bounded, so a hung
 * transport fails the test instead of hanging it.
 */
public interface TransportProbe extends AutoCloseable {

    /** Stores {@code value} under {@code key}. */
    void put(byte[] key, byte[] value) throws IOException;

    /** The value of {@code key}, or empty. */
    Optional<byte[]> get(byte[] key) throws IOException;

    /** Removes {@code key}; whether it was there. */
    boolean delete(byte[] key) throws IOException;

    /**
     * Sends a put of {@code values.get(i)} under {@code keys.get(i)} for every {@code i}, all
     * before reading any reply (pipelined), then reads every reply. Throws {@link ErrorReply}
     * if any is an error.
     */
    void putPipelined(List<byte[]> keys, List<byte[]> values) throws IOException;

    /** Closes the connection. */
    @Override
    void close() throws IOException;

    /** The server answered a request with an error; the message is what the client shows. */
    final class ErrorReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ErrorReply(String message) {
            super(message);
        }
    }
}
