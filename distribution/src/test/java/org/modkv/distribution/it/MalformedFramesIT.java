package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ModkvClient;

/**
 * Bad bytes on one connection cost that connection only: each raw socket below gets an error
 * frame or a close (connection-level errors are followed by a close, per modkv.proto), and a
 * well-behaved client on another connection keeps working throughout.
 */
class MalformedFramesIT {
    private static final int ANSWER_TIMEOUT_MS = 15_000;

    @TempDir
    Path dir;

    private record Case(String name, byte[] bytes, boolean halfClose) {
    }

    @Test
    void badFramesGetAnErrorOrACloseAndOtherClientsCarryOn() throws Exception {
        byte[] garbageFrame = new byte[32];
        Arrays.fill(garbageFrame, (byte) 0xff);
        List<Case> cases = List.of(
                new Case("oversized length prefix", WireFrames.lengthPrefix(Integer.MAX_VALUE), false),
                new Case("negative length prefix", WireFrames.lengthPrefix(-1), false),
                new Case("an HTTP request", "GET / HTTP/1.1\r\nHost: modkv\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        false),
                new Case("a frame of garbage bytes", WireFrames.frame(garbageFrame), false),
                new Case("a Get before Hello", WireFrames.get(7, "a"), false),
                new Case("an unsupported protocol version", WireFrames.hello(1, 999), false),
                new Case("a torn frame, then end of stream", Arrays.copyOf(WireFrames.get(3, "abc"), 6), true),
                new Case("garbage after a good Hello", concat(WireFrames.hello(1, 1), WireFrames.frame(garbageFrame)),
                        false));

        try (NodeProcess node = NodeProcess.start(dir.resolve("data")); ModkvClient healthy = ModkvClient.connect(node.tcp())) {
            healthy.put("before", "1");
            for (int i = 0; i < cases.size(); i++) {
                Case bad = cases.get(i);
                List<WireFrames.Answer> answers = send(node, bad);
                for (WireFrames.Answer answer : answers) {
                    assertTrue(answer.isError() || answer.fields().contains(WireFrames.RESPONSE_HELLO_OK),
                            bad.name() + ": expected an error frame, got a Response with fields " + answer.fields());
                }
                System.out.printf("malformed frames: %s -> %s, then closed%n", bad.name(), answers.stream()
                        .map(a -> a.isError() ? "error \"" + a.errorMessage() + "\"" : "fields " + a.fields()).toList());

                String key = "healthy-" + i;
                healthy.put(key, bad.name());
                assertEquals(Optional.of(bad.name()), healthy.get(key), "the healthy client after " + bad.name());
            }
            assertTrue(node.isAlive(), "the node died");
            assertEquals(Optional.of("1"), healthy.get("before"));
        }
    }

    /** Sends the bytes and reads until the server closes; fails if it neither answers nor closes in time. */
    private static List<WireFrames.Answer> send(NodeProcess node, Case bad) throws IOException {
        String[] hostPort = node.tcp().split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), ANSWER_TIMEOUT_MS);
            socket.setSoTimeout(ANSWER_TIMEOUT_MS);
            socket.getOutputStream().write(bad.bytes());
            socket.getOutputStream().flush();
            if (bad.halfClose()) {
                socket.shutdownOutput();
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                List<WireFrames.Answer> answers = WireFrames.answers(received.toByteArray());
                throw new AssertionError(bad.name() + ": the server did not close the connection within "
                        + ANSWER_TIMEOUT_MS + " ms; it answered " + answers);
            } catch (SocketException e) {
                // a reset is a close too
            }
            return WireFrames.answers(received.toByteArray());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
