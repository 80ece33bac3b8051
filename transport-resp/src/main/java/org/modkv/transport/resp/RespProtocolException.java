package org.modkv.transport.resp;

/**
 * The client sent bytes that are not a RESP2 request, or a request beyond a {@code resp.max.*}
 * limit. The connection answers {@code -ERR Protocol error: <message>} and is closed, since
 * the rest of its input can no longer be framed.
 */
final class RespProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    RespProtocolException(String message) {
        super(message, null, false, false);
    }
}
