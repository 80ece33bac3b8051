package org.modkv.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A few lines of RESP server for tests: a thread per connection, commands as arrays of bulk
 * strings, SET/MSET answer +OK, GET a bulk string or $-1, SEARCH the keys whose value contains
 * the word, anything else -ERR. Pipelining works because replies are written in order.
 */
final class MiniRespServer implements AutoCloseable {
    private final ServerSocket server;
    private final Map<String, byte[]> data = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicLong commands = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    /** When false, SEARCH is an unknown command, as in Redis. */
    volatile boolean knowsSearch = true;

    MiniRespServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "mini-resp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    int keys() {
        return data.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(socket), "mini-resp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            while (true) {
                List<byte[]> command = readCommand(in);
                if (command == null) {
                    return;
                }
                commands.incrementAndGet();
                reply(command, out);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    private void reply(List<byte[]> command, OutputStream out) throws IOException {
        String name = new String(command.get(0), StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
        switch (name) {
            case "SET" -> {
                data.put(text(command.get(1)), command.get(2));
                write(out, "+OK\r\n");
            }
            case "MSET" -> {
                for (int i = 1; i + 1 < command.size(); i += 2) {
                    data.put(text(command.get(i)), command.get(i + 1));
                }
                write(out, "+OK\r\n");
            }
            case "GET" -> {
                byte[] value = data.get(text(command.get(1)));
                if (value == null) {
                    write(out, "$-1\r\n");
                } else {
                    write(out, "$" + value.length + "\r\n");
                    out.write(value);
                    write(out, "\r\n");
                }
            }
            case "SEARCH" -> {
                if (!knowsSearch) {
                    write(out, "-ERR unknown command 'SEARCH', with args beginning with: \r\n");
                    return;
                }
                String word = text(command.get(1));
                List<String> hits = new ArrayList<>();
                data.forEach((k, v) -> {
                    if ((" " + text(v) + " ").contains(" " + word + " ")) {
                        hits.add(k);
                    }
                });
                write(out, "*" + hits.size() + "\r\n");
                for (String hit : hits) {
                    write(out, "$" + hit.length() + "\r\n" + hit + "\r\n");
                }
            }
            default -> write(out, "-ERR unknown command '" + name + "'\r\n");
        }
    }

    private static List<byte[]> readCommand(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        if (type != '*') {
            throw new IOException("expected an array, got " + (char) type);
        }
        int count = (int) readNumber(in);
        List<byte[]> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.read() != '$') {
                throw new IOException("expected a bulk string");
            }
            int length = (int) readNumber(in);
            byte[] part = in.readNBytes(length);
            in.read();
            in.read();
            parts.add(part);
        }
        return parts;
    }

    private static long readNumber(InputStream in) throws IOException {
        long value = 0;
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("eof");
            }
            value = value * 10 + (c - '0');
        }
        in.read();
        return value;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
