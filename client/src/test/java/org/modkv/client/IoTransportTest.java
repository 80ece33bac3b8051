package org.modkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.modkv.client.io.ClientIo;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.ProtocolVersion;
import org.modkv.protocol.wire.HelloOk;
import org.modkv.protocol.wire.Pong;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;

/**
 * {@link ClientOptions#withIoTransport}: every backend either carries requests over every
 * connection of a client, or, where this machine cannot run it, makes connect fail saying why.
 */
class IoTransportTest {

    private static ScriptedServer pongServer() throws Exception {
        return new ScriptedServer(r -> List.of(r.hasHello()
                ? Response.newBuilder().setId(r.getId()).setHelloOk(HelloOk.newBuilder()
                        .setProtocolVersion(ProtocolVersion.CURRENT).setNodeId("n1")
                        .setMaxFrameBytes(FrameFormat.DEFAULT_MAX_FRAME_BYTES)).build()
                : Response.newBuilder().setId(r.getId()).setPong(Pong.getDefaultInstance()).build()));
    }

    private static ClientOptions options(ScriptedServer server, IoTransport transport) {
        return ClientOptions.defaults(server.hostPort()).withConnectTimeout(Duration.ofSeconds(5))
                .withRequestTimeout(Duration.ofSeconds(10)).withConnections(3, 2).withIoTransport(transport);
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void eachBackendCarriesRequestsOrConnectSaysWhyItCannotRun(IoTransport transport) throws Exception {
        ClientIo io = ClientIo.valueOf(transport.name());
        try (ScriptedServer server = pongServer()) {
            String why = io.unavailability();
            if (why != null) {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> ModkvClient.connect(options(server, transport)));
                assertTrue(refused.getMessage().startsWith("I/O transport " + transport + " cannot run here: "),
                        refused.getMessage());
                return;
            }
            try (ModkvClient client = ModkvClient.connect(options(server, transport))) {
                assertEquals(io.socketChannel(), client.channelType());
                for (int i = 0; i < 30; i++) {
                    client.ping();
                }
                assertEquals(30, server.received().stream().filter(Request::hasPing).count());
                assertEquals(3, client.openConnections());
            }
        }
    }

    @Test
    void autoTakesTheFirstBackendThatRunsHere() throws Exception {
        ClientIo first = java.util.Arrays.stream(ClientIo.values()).filter(io -> io.unavailability() == null)
                .findFirst().orElseThrow();
        assertEquals(first, ClientIo.choose(IoTransport.AUTO));
        try (ScriptedServer server = pongServer();
             ModkvClient client = ModkvClient.connect(options(server, IoTransport.AUTO))) {
            assertEquals(first.socketChannel(), client.channelType());
            client.ping();
        }
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertTrue(first != ClientIo.NIO, "Netty's native transports ship with the client for Linux x86_64: "
                    + "io_uring: " + ClientIo.IO_URING.unavailability() + "; epoll: " + ClientIo.EPOLL.unavailability());
        }
    }
}
