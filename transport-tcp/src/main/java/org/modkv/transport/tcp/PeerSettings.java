package org.modkv.transport.tcp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.modkv.api.config.HostPort;

/**
 * The validated {@code tcp.peer*} config: the other nodes of the cluster and where this node
 * listens for them.
 *
 * @param localId this node's id
 * @param peers the other nodes by id, in config order; this node's own entry is left out
 * @param listen {@code tcp.peer.listen}
 * @param maxFrameBytes {@code tcp.peer.max.frame.bytes}
 */
record PeerSettings(String localId, Map<String, HostPort> peers, HostPort listen, int maxFrameBytes) {
    /** Node ids: what etcd and most cluster tools accept, and safe in logs and file names. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String ID_RULE = "1..64 letters, digits, '.', '-', '_'";

    PeerSettings {
        peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    }

    /**
     * This node's view of {@code tcp.peers}: every entry but its own.
     *
     * @param all the parsed {@code tcp.peers}, this node's entry included if it was listed
     */
    static PeerSettings of(String localId, Map<String, HostPort> all, HostPort listen, int maxFrameBytes) {
        Map<String, HostPort> others = new LinkedHashMap<>(all);
        others.remove(localId);
        return new PeerSettings(localId, others, listen, maxFrameBytes);
    }

    /** The known peer ids, comma-separated, for messages. */
    String describePeers() {
        return peers.isEmpty() ? "none" : String.join(", ", peers.keySet());
    }

    /**
     * Parses {@code tcp.peers}: comma-separated {@code id=host:port}; empty means no peers.
     *
     * @throws IllegalArgumentException naming the bad entry and what is allowed (the config
     *     schema prefixes the key name)
     */
    static Map<String, HostPort> parsePeers(String text) {
        if (text.isBlank()) {
            return Map.of();
        }
        Map<String, HostPort> peers = new LinkedHashMap<>();
        for (String raw : text.split(",", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has an empty entry; write id=host:port entries "
                        + "separated by commas, e.g. n1=10.0.0.1:7380,n2=10.0.0.2:7380");
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("entry '" + entry + "' is not id=host:port, e.g. n2=10.0.0.2:7380");
            }
            String id = entry.substring(0, eq).trim();
            String address = entry.substring(eq + 1).trim();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("entry '" + entry + "' has node id '" + id + "'; a node id is "
                        + ID_RULE);
            }
            HostPort hostPort;
            try {
                hostPort = HostPort.parse(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry '" + entry + "': " + e.getMessage(), e);
            }
            if (hostPort.port() == 0) {
                throw new IllegalArgumentException("entry '" + entry + "' has port 0; a peer's port is 1..65535");
            }
            if (peers.putIfAbsent(id, hostPort) != null) {
                throw new IllegalArgumentException("node id '" + id + "' appears twice ('" + id + "=" + peers.get(id)
                        + "' and '" + entry + "'); each node is listed once");
            }
        }
        return Collections.unmodifiableMap(peers);
    }
}
