package org.modkv.transport.resp;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket speaking raw bytes, for what a client library would never send (inline
 * commands, garbage, oversized headers) and for reading replies byte-exactly. A read that waits
 * more than 20 s fails the test instead of hanging it.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private final DataInputStream in;

    RawClient(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one line, CRLF included. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after '" + line.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            line.write(b);
            if (previous == '\r' && b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            previous = b;
        }
    }

    /** Reads exactly {@code n} bytes. */
    byte[] bytes(int n) throws IOException {
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    /** Reads one bulk-string reply and returns its payload, or {@code null} for {@code $-1}. */
    byte[] bulk() throws IOException {
        String header = line();
        if (!header.startsWith("$")) {
            throw new AssertionError("expected a bulk string, got " + header.trim());
        }
        int length = Integer.parseInt(header.substring(1, header.length() - 2));
        if (length < 0) {
            return null;
        }
        byte[] payload = bytes(length);
        if (!new String(bytes(2), StandardCharsets.ISO_8859_1).equals("\r\n")) {
            throw new AssertionError("bulk string not followed by CRLF");
        }
        return payload;
    }

    /** Whether the server closed the connection: the next read finds the end of the stream. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true; // reset by the server: closed too
        }
    }

    InputStream input() {
        return in;
    }

    /** RESP array-of-bulk-strings encoding of {@code args}. */
    static byte[] command(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(arg);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    static byte[] command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
