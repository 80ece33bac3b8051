package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.HostPort;

/** {@code tcp.peers}, {@code tcp.peer.listen} and {@code tcp.peer.max.frame.bytes}. */
class PeerConfigTest {
    private static Config bind(Map<String, String> values) {
        return new TcpTransportProvider().configSchema().bind(values);
    }

    private static String error(String key, String value) {
        return assertThrows(ConfigException.class, () -> bind(Map.of(key, value))).getMessage();
    }

    @Test
    void theSameListServesEveryNodeEachSkippingItsOwnEntry() {
        Config config = bind(Map.of("tcp.peers", " n1=10.0.0.1:7380, n2 = 10.0.0.2:7380 ,n3=[::1]:7381",
                "tcp.peer.listen", "0.0.0.0:7390", "tcp.peer.max.frame.bytes", "1MiB"));
        PeerSettings n2 = TcpTransportProvider.peerSettings(config, "n2").orElseThrow();
        assertEquals("n2", n2.localId());
        assertEquals(List.of("n1", "n3"), List.copyOf(n2.peers().keySet()));
        assertEquals(new HostPort("10.0.0.1", 7380), n2.peers().get("n1"));
        assertEquals(new HostPort("::1", 7381), n2.peers().get("n3"));
        assertEquals(new HostPort("0.0.0.0", 7390), n2.listen());
        assertEquals(1 << 20, n2.maxFrameBytes());
        // A node not in the list talks to all of them.
        assertEquals(3, TcpTransportProvider.peerSettings(config, "n9").orElseThrow().peers().size());
    }

    @Test
    void noPeersMeansNoPeerNetwork() {
        assertEquals(Optional.empty(), TcpTransportProvider.peerSettings(bind(Map.of()), "n1"));
        assertEquals(Optional.empty(), TcpTransportProvider.peerSettings(bind(Map.of("tcp.peers", " ")), "n1"));
        PeerSettings defaults = TcpTransportProvider.peerSettings(bind(Map.of("tcp.peers", "n2=h:1")), "n1")
                .orElseThrow();
        assertEquals(new HostPort("127.0.0.1", 7380), defaults.listen());
        assertEquals(64 << 20, defaults.maxFrameBytes());
    }

    @Test
    void anEntryWithoutAnIdIsRefused() {
        assertEquals("tcp.peers: entry '10.0.0.2:7380' is not id=host:port, e.g. n2=10.0.0.2:7380",
                error("tcp.peers", "n1=10.0.0.1:7380,10.0.0.2:7380"));
    }

    @Test
    void aBadIdIsRefusedSayingWhatAnIdMayBe() {
        String message = error("tcp.peers", "n 1=10.0.0.1:7380");
        assertEquals("tcp.peers: entry 'n 1=10.0.0.1:7380' has node id 'n 1'; a node id is 1..64 letters, digits, "
                + "'.', '-', '_'", message);
        assertTrue(error("tcp.peers", "=10.0.0.1:7380").contains("has node id ''"));
        assertTrue(error("tcp.peers", "n".repeat(65) + "=h:1").contains("1..64"));
    }

    @Test
    void aBadAddressIsRefusedNamingTheEntry() {
        assertEquals("tcp.peers: entry 'n2=10.0.0.2': '10.0.0.2' is not host:port, e.g. 127.0.0.1:7379",
                error("tcp.peers", "n2=10.0.0.2"));
        assertTrue(error("tcp.peers", "n2=h:99999").startsWith("tcp.peers: entry 'n2=h:99999': "),
                error("tcp.peers", "n2=h:99999"));
        assertTrue(error("tcp.peers", "n2=h:x").contains("no numeric port"), error("tcp.peers", "n2=h:x"));
        assertEquals("tcp.peers: entry 'n2=h:0' has port 0; a peer's port is 1..65535", error("tcp.peers", "n2=h:0"));
    }

    @Test
    void aDuplicateIdIsRefused() {
        assertEquals("tcp.peers: node id 'n2' appears twice ('n2=a:1' and 'n2=b:2'); each node is listed once",
                error("tcp.peers", "n2=a:1,n2=b:2"));
    }

    @Test
    void anEmptyEntryIsRefused() {
        assertTrue(error("tcp.peers", "n2=a:1,,n3=b:2").startsWith("tcp.peers: 'n2=a:1,,n3=b:2' has an empty entry"),
                error("tcp.peers", "n2=a:1,,n3=b:2"));
    }

    @Test
    void badListenAndFrameLimitsNameTheirKeys() {
        assertTrue(error("tcp.peer.listen", "nowhere").startsWith("tcp.peer.listen: "));
        assertTrue(error("tcp.peer.max.frame.bytes", "100").startsWith("tcp.peer.max.frame.bytes: '100' is out of range"));
        assertTrue(error("tcp.peer.max.frame.bytes", "2GiB").startsWith("tcp.peer.max.frame.bytes: "));
    }
}
