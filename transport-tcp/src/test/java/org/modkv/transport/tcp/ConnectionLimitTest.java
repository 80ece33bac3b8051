package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.Transport;
import org.modkv.client.ClientOptions;
import org.modkv.client.ModkvClient;
import org.modkv.client.ModkvClientException;

class ConnectionLimitTest {

    @Test
    void connectionOverTheLimitIsToldOverloadedAndASlotFreesOnClose() throws Exception {
        try (Transport transport = new TcpTransportProvider().start(TcpTestContexts.context(
                Map.of("tcp.max.connections", "2"), TcpTestContexts.handler()))) {
            String hostPort = transport.endpoints().get(0).hostPort();
            ModkvClient first = ModkvClient.connect(hostPort);
            try (ModkvClient second = ModkvClient.connect(hostPort)) {
                ModkvClientException e = assertThrows(ModkvClientException.class, () -> ModkvClient.connect(hostPort));
                assertEquals("OVERLOADED", e.code());
                assertEquals("too many connections: limit tcp.max.connections=2", e.getMessage());

                first.close();
                // The server frees the slot when it sees the close; retry a bounded number of times.
                ModkvClient third = null;
                for (int attempt = 0; attempt < 200 && third == null; attempt++) {
                    try {
                        third = ModkvClient.connect(hostPort);
                    } catch (ModkvClientException refused) {
                        assertEquals("OVERLOADED", refused.code());
                        Thread.sleep(10);
                    }
                }
                try (ModkvClient connected = third) {
                    connected.put("k", "v");
                    Map<String, String> tcp = second.stats().get("tcp");
                    assertEquals("2", tcp.get("connections.open"));
                    assertEquals(true, Long.parseLong(tcp.get("connections.refused")) >= 1, tcp.toString());
                }
            }
        }
    }

    @Test
    void aClientWithMoreConnectionsThanTheLimitAllowsFailsToConnectAndKeepsNoneOpen() throws Exception {
        try (Transport transport = new TcpTransportProvider().start(TcpTestContexts.context(
                Map.of("tcp.max.connections", "2"), TcpTestContexts.handler()))) {
            String hostPort = transport.endpoints().get(0).hostPort();
            ModkvClientException e = assertThrows(ModkvClientException.class,
                    () -> ModkvClient.connect(ClientOptions.defaults(hostPort).withConnections(3, 1)));
            assertEquals("OVERLOADED", e.code());
            assertEquals("too many connections: limit tcp.max.connections=2 (after 2 of 3 connections)", e.getMessage());
            // The two it opened were closed: two single-connection clients get in, once the server saw the closes.
            ModkvClient first = null;
            for (int attempt = 0; attempt < 1000 && first == null; attempt++) {
                try {
                    first = ModkvClient.connect(ClientOptions.defaults(hostPort).withConnections(2, 2));
                } catch (ModkvClientException refused) {
                    assertEquals("OVERLOADED", refused.code());
                    Thread.sleep(10);
                }
            }
            try (ModkvClient both = first) {
                both.put("k", "v");
                assertEquals("2", both.stats().get("tcp").get("connections.open"));
            }
        }
    }
}
