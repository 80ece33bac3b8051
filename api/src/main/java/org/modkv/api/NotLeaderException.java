package org.modkv.api;

import java.util.Optional;

/** This node cannot serve the request itself; {@link #leaderId()} names the node that can. */
public class NotLeaderException extends ModkvException {
    private final String leaderId;

    public NotLeaderException(String leaderId, String message) {
        super(ErrorCode.NOT_LEADER, message);
        this.leaderId = leaderId;
    }

    /** The current leader, if known. */
    public Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }
}
