package org.modkv.api.transport;

import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * A {@link PeerNetwork#request} that was never sent: no connection to the peer could carry it
 * (the peer refused the connection, is in a reconnect backoff, or its queue was full). Unlike
 * other {@code UNAVAILABLE} failures (a timeout, a connection lost after the request went out),
 * the peer cannot have acted on it, so it is safe to send again, to this peer later or to
 * another.
 */
public class PeerUnreachableException extends ModkvException {
    public PeerUnreachableException(String message) {
        super(ErrorCode.UNAVAILABLE, message);
    }
}
