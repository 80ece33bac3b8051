package org.modkv.transport.resp;

/**
 * A command refused for its arguments, carrying the whole RESP error text (with its code, e.g.
 * {@code ERR syntax error ...}); {@link RespErrors#fromFailure} replies with it as it is.
 */
final class CommandRefused extends RuntimeException {
    CommandRefused(String errorText) {
        super(errorText, null, false, false);
    }
}
