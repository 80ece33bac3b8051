package org.modkv.transport.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.api.transport.Transport;

/**
 * tcp transports in this JVM that form one cluster on 127.0.0.1: each node id gets a free peer
 * port up front, and every node is given the same {@code tcp.peers} list naming all of them.
 * A node may be left unstarted (a peer that is down), stopped, and started again on its port.
 */
final class PeerNodes implements AutoCloseable {
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Transport> running = new HashMap<>();

    PeerNodes(String... ids) {
        for (String id : ids) {
            ports.put(id, freePort());
        }
    }

    /** The {@code tcp.peers} value every node gets. */
    String peersValue() {
        List<String> entries = new ArrayList<>();
        ports.forEach((id, port) -> entries.add(id + "=127.0.0.1:" + port));
        return String.join(",", entries);
    }

    int port(String id) {
        return ports.get(id);
    }

    Transport start(String id) throws IOException {
        return start(id, Map.of());
    }

    /** Starts node {@code id} on its port, with {@code extra} tcp settings on top. */
    Transport start(String id, Map<String, String> extra) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("tcp.peers", peersValue());
        settings.put("tcp.peer.listen", "127.0.0.1:" + port(id));
        settings.put("tcp.io.threads", "1");
        settings.putAll(extra);
        Transport transport = new TcpTransportProvider().start(
                TcpTestContexts.context(id, settings, TcpTestContexts.handler()));
        running.put(id, transport);
        return transport;
    }

    Transport transport(String id) {
        return running.get(id);
    }

    PeerNetwork network(String id) {
        return running.get(id).peerNetwork().orElseThrow();
    }

    void stop(String id) {
        Transport transport = running.remove(id);
        if (transport != null) {
            transport.close();
        }
    }

    @Override
    public void close() {
        for (String id : List.copyOf(running.keySet())) {
            stop(id);
        }
    }

    /** A port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
