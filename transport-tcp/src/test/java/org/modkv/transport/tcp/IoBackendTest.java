package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.modkv.client.ModkvClient;
import org.modkv.netty.NettyIo;
import org.modkv.testkit.transport.InMemoryRequestHandler;

/**
 * {@code tcp.io.transport}: every I/O backend either serves real clients (several connections,
 * pipelined requests, more reply bytes at once than the socket buffers hold) or, where this machine cannot run
 * it, refuses to start with a message that says why.
 */
class IoBackendTest {

    @ParameterizedTest
    @EnumSource(NettyIo.class)
    void eachBackendServesClientsOrRefusesToStartSayingWhy(NettyIo backend) throws Exception {
        InMemoryRequestHandler handler = TcpTestContexts.handler();
        Map<String, String> settings = Map.of("tcp.io.transport", backend.configName());
        String why = backend.unavailability();
        if (why != null) {
            IOException refused = assertThrows(IOException.class,
                    () -> new TcpTransportProvider().start(TcpTestContexts.context(settings, handler)));
            assertTrue(refused.getMessage().startsWith("tcp.io.transport=" + backend.configName() + " cannot run here"),
                    refused.getMessage());
            return;
        }
        try (TcpTransport transport = (TcpTransport) new TcpTransportProvider().start(
                TcpTestContexts.context(settings, handler))) {
            assertEquals(backend, transport.io());
            String address = transport.endpoints().get(0).hostPort();
            List<ModkvClient> clients = new ArrayList<>();
            try {
                for (int c = 0; c < 4; c++) {
                    clients.add(ModkvClient.connect(address));
                }
                List<CompletableFuture<Void>> puts = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    puts.add(clients.get(i % clients.size()).putAsync(bytes("k" + i), bytes("v" + i)));
                }
                CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < 400; i++) {
                    Optional<byte[]> value = clients.get((i + 1) % clients.size()).get(bytes("k" + i));
                    assertArrayEquals(bytes("v" + i), value.orElseThrow(), "k" + i);
                }
                // 200 pipelined reads of a 60 KiB value: 12 MiB of replies, far more than a socket buffer holds.
                byte[] large = new byte[60 << 10];
                Arrays.fill(large, (byte) 'x');
                large[large.length - 1] = 'y';
                clients.get(0).put(bytes("large"), large);
                List<CompletableFuture<Optional<byte[]>>> reads = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    reads.add(clients.get(3).getAsync(bytes("large")));
                }
                for (CompletableFuture<Optional<byte[]>> read : reads) {
                    assertArrayEquals(large, read.get(30, TimeUnit.SECONDS).orElseThrow());
                }
            } finally {
                for (ModkvClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void autoTakesTheFirstOfIoUringEpollNioThatRunsHere() throws Exception {
        NettyIo expected = Arrays.stream(NettyIo.values()).filter(io -> io.unavailability() == null).findFirst()
                .orElseThrow();
        try (TcpTransport transport = (TcpTransport) new TcpTransportProvider().start(
                TcpTestContexts.context(Map.of(), TcpTestContexts.handler()))) {
            assertEquals(expected, transport.io());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
