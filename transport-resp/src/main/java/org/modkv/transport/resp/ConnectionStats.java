package org.modkv.transport.resp;

/**
 * A snapshot of one connection's figures, for tests and diagnostics.
 *
 * @param clientId the connection's id ({@code CLIENT ID})
 * @param requests requests read so far
 * @param pending requests awaiting their reply now
 * @param mostPending the most that ever awaited their reply at once
 * @param readPauses how often reading was paused for back-pressure
 * @param reading whether the transport is reading from the socket now ({@code autoRead})
 * @param mostQueuedBytes the most reply bytes ever queued in the channel, not yet taken by the socket
 */
record ConnectionStats(long clientId, long requests, int pending, int mostPending, long readPauses, boolean reading,
                       long mostQueuedBytes) {
}
