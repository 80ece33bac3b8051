package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.Transport;
import org.modkv.client.ModkvClient;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.ProtocolVersion;
import org.modkv.protocol.wire.Bulk;
import org.modkv.protocol.wire.BulkEntry;
import org.modkv.protocol.wire.ErrorCode;
import org.modkv.protocol.wire.Get;
import org.modkv.protocol.wire.Hello;
import org.modkv.protocol.wire.Ping;
import org.modkv.protocol.wire.Put;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;

/**
 * Bad input on one connection gets an error frame (and, when the stream can no longer be
 * trusted, a close) while a healthy connection to the same server keeps working.
 */
class MalformedInputTest {
    private static final int MAX_FRAME = 1024;

    private Transport transport;
    private ModkvClient healthy;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        transport = new TcpTransportProvider().start(TcpTestContexts.context(
                Map.of("tcp.max.frame.bytes", Integer.toString(MAX_FRAME)), TcpTestContexts.handler()));
        address = transport.endpoints().get(0).address();
        healthy = ModkvClient.connect(transport.endpoints().get(0).hostPort());
        healthy.put("before", "ok");
    }

    @AfterEach
    void stop() {
        try {
            // Whatever happened to the other connection, this one still works.
            healthy.put("after", "ok");
            assertEquals(Optional.of("ok"), healthy.get("before"));
        } finally {
            healthy.close();
            transport.close();
        }
    }

    private static byte[] prefix(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    private static void assertOneErrorThenClose(List<Response> frames, long id, ErrorCode code, String message) {
        assertEquals(1, frames.size(), "one error frame before the close: " + frames);
        Response r = frames.get(0);
        assertEquals(id, r.getId());
        assertTrue(r.hasError(), r.toString());
        assertEquals(code, r.getError().getCode());
        assertEquals(message, r.getError().getMessage());
    }

    @Test
    void negativeLengthPrefixGetsAnErrorAndClose() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            raw.handshake().sendBytes(prefix(-5));
            assertOneErrorThenClose(raw.readUntilClosed(), FrameFormat.CONNECTION_ID, ErrorCode.INVALID_REQUEST,
                    "frame length -5 is negative; a frame starts with a 4-byte big-endian length 0.." + MAX_FRAME);
        }
    }

    @Test
    void oversizedLengthPrefixGetsAnErrorNamingTheLimitAndClose() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            raw.handshake().sendBytes(prefix(MAX_FRAME + 1)).sendBytes(new byte[100]);
            assertOneErrorThenClose(raw.readUntilClosed(), FrameFormat.CONNECTION_ID, ErrorCode.TOO_LARGE,
                    "frame of " + (MAX_FRAME + 1) + " bytes exceeds tcp.max.frame.bytes=" + MAX_FRAME);
        }
    }

    @Test
    void validLengthWithBytesThatAreNotARequestGetsAnErrorAndClose() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
            raw.handshake().sendBytes(prefix(junk.length)).sendBytes(junk);
            List<Response> frames = raw.readUntilClosed();
            assertEquals(1, frames.size(), frames.toString());
            assertEquals(ErrorCode.INVALID_REQUEST, frames.get(0).getError().getCode());
            assertTrue(frames.get(0).getError().getMessage().startsWith("frame of 8 bytes is not a modkv Request"),
                    frames.get(0).getError().getMessage());
        }
    }

    @Test
    void randomGarbageEndsInErrorFramesOrACloseNeverAnAnswer() throws Exception {
        for (int seed = 0; seed < 16; seed++) {
            byte[] garbage = new byte[300];
            new Random(seed).nextBytes(garbage);
            try (RawConnection raw = new RawConnection(address)) {
                raw.sendBytes(garbage);
                raw.shutdownOutput(); // a frame the prefix promises but never completes must not hang the test
                for (Response r : raw.readUntilClosed()) {
                    assertTrue(r.hasError(), "seed " + seed + " got a non-error reply " + r);
                }
            }
        }
    }

    @Test
    void requestBeforeHelloGetsAnErrorAndClose() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            raw.send(Request.newBuilder().setId(9).setGet(Get.newBuilder()).build());
            assertOneErrorThenClose(raw.readUntilClosed(), 9, ErrorCode.INVALID_REQUEST,
                    "the first request on a connection must be Hello{protocol_version=1}; got get");
        }
    }

    @Test
    void unsupportedProtocolVersionIsRefusedWithWhatTheServerSpeaks() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            raw.send(Request.newBuilder().setId(1).setHello(Hello.newBuilder().setProtocolVersion(99)).build());
            assertOneErrorThenClose(raw.readUntilClosed(), 1, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "protocol version 99 not supported; this server speaks " + ProtocolVersion.CURRENT);
        }
    }

    @Test
    void requestWithoutBodyGetsAnErrorAndTheConnectionStaysOpen() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            raw.handshake().send(Request.newBuilder().setId(5).build());
            Response error = raw.read();
            assertNotNull(error);
            assertEquals(5, error.getId());
            assertEquals(ErrorCode.INVALID_REQUEST, error.getError().getCode());
            assertTrue(error.getError().getMessage().contains("has no body"), error.getError().getMessage());

            raw.send(Request.newBuilder().setId(6).setPing(Ping.getDefaultInstance()).build());
            Response pong = raw.read();
            assertNotNull(pong);
            assertEquals(6, pong.getId());
            assertTrue(pong.hasPong(), pong.toString());
        }
    }

    @Test
    void bulkEntryWithoutOperationIsRefusedWholeAndTheConnectionStaysOpen() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            Bulk bulk = Bulk.newBuilder()
                    .addEntries(BulkEntry.newBuilder().setPut(Put.newBuilder()
                            .setKey(com.google.protobuf.ByteString.copyFromUtf8("bulk-k"))))
                    .addEntries(BulkEntry.getDefaultInstance()).build();
            raw.handshake().send(Request.newBuilder().setId(7).setBulk(bulk).build());
            Response error = raw.read();
            assertNotNull(error);
            assertEquals(ErrorCode.INVALID_REQUEST, error.getError().getCode());
            assertEquals("bulk entry 1 is neither a put nor a delete; nothing was written", error.getError().getMessage());
            assertEquals(Optional.empty(), healthy.get("bulk-k"));
        }
    }

    @Test
    void requestsPipelinedBeforeABadFrameAreAnsweredBeforeTheError() throws Exception {
        try (RawConnection raw = new RawConnection(address)) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(FrameFormat.encode(Request.newBuilder().setId(1)
                    .setHello(Hello.newBuilder().setProtocolVersion(ProtocolVersion.CURRENT)).build()));
            burst.write(FrameFormat.encode(Request.newBuilder().setId(2).setPing(Ping.getDefaultInstance()).build()));
            burst.write(prefix(Integer.MAX_VALUE));
            burst.write(new byte[512]); // unread bytes must not turn the close into a reset
            raw.sendBytes(burst.toByteArray());
            List<Response> frames = raw.readUntilClosed();
            assertEquals(3, frames.size(), frames.toString());
            assertTrue(frames.get(0).hasHelloOk());
            assertTrue(frames.get(1).hasPong());
            assertEquals(ErrorCode.TOO_LARGE, frames.get(2).getError().getCode());
        }
    }

    @Test
    void idleConnectionIsToldWhyAndClosedWhenATimeoutIsSet() throws Exception {
        try (Transport idle = new TcpTransportProvider().start(TcpTestContexts.context(
                Map.of("tcp.idle.timeout.ms", "100"), TcpTestContexts.handler()));
             RawConnection raw = new RawConnection(idle.endpoints().get(0).address())) {
            raw.handshake();
            assertOneErrorThenClose(raw.readUntilClosed(), FrameFormat.CONNECTION_ID, ErrorCode.UNAVAILABLE,
                    "connection idle for 100 ms (tcp.idle.timeout.ms); closing");
        }
    }
}
