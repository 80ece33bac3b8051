package org.modkv.bench;

/**
 * The server answered a request with a RESP error ({@code -ERR ...}). Carries no stack trace:
 * it is an answer, not a bug, and benchmarks can get many.
 */
final class RespErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RespErrorReply(String message) {
        super(message, null, false, false);
    }
}
