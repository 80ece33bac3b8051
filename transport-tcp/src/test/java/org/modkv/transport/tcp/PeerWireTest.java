package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.Transport;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.wire.PeerFrame;

/** The peer listener as a misbehaving (or hand-written) node sees it: raw frames over a blocking socket. */
class PeerWireTest {
    /** Guards against a hang, not a timing assertion. */
    private static final int READ_GUARD_MS = 20_000;

    private PeerNodes nodes;
    private Transport n2;

    @BeforeEach
    void startNode() throws IOException {
        nodes = new PeerNodes("n1", "n2");
        n2 = nodes.start("n2", Map.of("tcp.peer.max.frame.bytes", "4KiB"));
        n2.peerNetwork().orElseThrow().register("echo", (from, message) ->
                CompletableFuture.completedFuture((from + ":" + new String(message, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stopNode() {
        nodes.close();
    }

    /** A blocking socket to n2's peer listener. */
    private final class Raw implements AutoCloseable {
        private final Socket socket = new Socket();
        private final DataInputStream in;
        private final OutputStream out;

        Raw() throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", nodes.port("n2")), READ_GUARD_MS);
            socket.setSoTimeout(READ_GUARD_MS);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Raw send(PeerFrame frame) throws IOException {
            return sendBytes(FrameFormat.encode(frame));
        }

        Raw sendBytes(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** Every frame until n2 closes the connection. */
        List<PeerFrame> readUntilClosed() throws IOException {
            List<PeerFrame> frames = new ArrayList<>();
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException | SocketException e) {
                    return frames;
                }
                frames.add(PeerFrame.parseFrom(in.readNBytes(length)));
            }
        }

        PeerFrame read() throws IOException {
            return PeerFrame.parseFrom(in.readNBytes(in.readInt()));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aHelloThenARequestGetsAReplyWithTheRequestsId() throws Exception {
        try (Raw raw = new Raw()) {
            raw.send(PeerFrames.hello("n1"));
            raw.send(PeerFrame.newBuilder().setKind(PeerFrame.Kind.REQUEST).setRequestId(42).setChannel("echo")
                    .setPayload(com.google.protobuf.ByteString.copyFromUtf8("hi")).build());
            PeerFrame reply = raw.read();
            assertEquals(PeerFrame.Kind.REPLY, reply.getKind());
            assertEquals(42, reply.getRequestId());
            assertEquals("n1:hi", reply.getPayload().toStringUtf8());
        }
    }

    @Test
    void aHelloFromANodeNotInTcpPeersIsRefusedWithAnErrorAndClosed() throws Exception {
        try (Raw raw = new Raw()) {
            List<PeerFrame> frames = raw.send(PeerFrames.hello("stranger")).readUntilClosed();
            assertEquals(1, frames.size(), frames.toString());
            assertEquals(PeerFrame.Kind.ERROR, frames.get(0).getKind());
            assertEquals(0, frames.get(0).getRequestId());
            assertEquals("node 'stranger' is not in the tcp.peers of node n2 (known: n1)",
                    frames.get(0).getErrorMessage());
        }
    }

    @Test
    void aConnectionThatDoesNotStartWithHelloIsRefused() throws Exception {
        try (Raw raw = new Raw()) {
            List<PeerFrame> frames = raw.send(PeerFrames.request(1, "echo", new byte[1])).readUntilClosed();
            assertEquals(1, frames.size(), frames.toString());
            assertTrue(frames.get(0).getErrorMessage().startsWith("the first frame must be HELLO"),
                    frames.get(0).getErrorMessage());
        }
    }

    @Test
    void aFrameOverTheLimitClosesTheConnection() throws Exception {
        try (Raw raw = new Raw()) {
            raw.send(PeerFrames.hello("n1"));
            raw.sendBytes(ByteBuffer.allocate(4).putInt(4 * 1024 + 1).array());
            assertEquals(List.of(), raw.readUntilClosed());
        }
        assertEquals(1L, ((Number) n2.stats().get("peer.frames.rejected")).longValue());
    }

    @Test
    void bytesThatAreNotAPeerFrameCloseTheConnection() throws Exception {
        try (Raw raw = new Raw()) {
            raw.send(PeerFrames.hello("n1"));
            raw.sendBytes(new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertEquals(List.of(), raw.readUntilClosed());
        }
    }
}
