package org.modkv.transport.tcp;

import org.modkv.api.config.HostPort;

/** The validated {@code tcp.*} config, in the types the server uses. */
record TcpSettings(HostPort listen, int maxFrameBytes, int maxConnections, int maxInFlight, int ioThreads,
                   String ioTransport, boolean asyncFsync, long idleTimeoutMs) {
}
