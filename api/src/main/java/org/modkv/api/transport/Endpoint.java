package org.modkv.api.transport;

import java.net.InetSocketAddress;

/**
 * An address a transport listens on.
 *
 * @param name the field name in the ready line, e.g. {@code tcp}, {@code peer}, {@code resp}
 * @param address the bound address (with the real port when 0 was configured)
 */
public record Endpoint(String name, InetSocketAddress address) {
    /** {@code host:port} as printed in the ready line. */
    public String hostPort() {
        return address.getHostString() + ":" + address.getPort();
    }
}
