package org.modkv.bench;

/** The server sent bytes that are not RESP2; the connection is closed. */
final class RespProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RespProtocolException(String message) {
        super("RESP protocol error: " + message);
    }
}
