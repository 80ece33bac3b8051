package org.modkv.bench.search;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP client for the query phase: one connection, one request at a time, so
 * that a measured latency is one query's round trip. Sends {@code SEARCH} (AND, phrase) or
 * {@code SEARCHANY} (OR) with the query text as one argument, plus {@code STALE} if asked, and
 * reads the reply (total hits first, then the keys; docs/design/search-commands.md); or
 * {@code SIMILAR text TOP k} (a flat key, score array).
 */
public final class RespSearchClient implements QueryTarget, AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean stale;

    public RespSearchClient(String hostPort, boolean stale) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("RESP address '" + hostPort + "' is not allowed; use HOST:PORT");
        }
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 10_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.stale = stale;
    }

    @Override
    public long search(BenchQuery query) throws IOException {
        List<String> command = new ArrayList<>(3);
        command.add(query.all() ? "SEARCH" : "SEARCHANY");
        command.add(query.text());
        if (stale) {
            command.add("STALE");
        }
        send(command);
        long[] total = {-1};
        readArray(query.text(), (i, type, header) -> {
            if (type == ':' && i == 0) {
                total[0] = Long.parseLong(header);
                return true;
            }
            return false;
        });
        return total[0];
    }

    /**
     * {@code SIMILAR text TOP top [STALE]}; returns how many hits came back (the reply is the flat
     * {@code key, score, ...} array).
     */
    public long similar(String text, int top) throws IOException {
        List<String> command = new ArrayList<>(List.of("SIMILAR", text, "TOP", Integer.toString(top)));
        if (stale) {
            command.add("STALE");
        }
        send(command);
        return readArray(text, (i, type, header) -> false) / 2;
    }

    /** Reads one reply for {@code what}; non-bulk elements go to {@code other}, which must take them. */
    private int readArray(String what, OtherElement other) throws IOException {
        int first = in.read();
        if (first == '-') {
            throw new IOException("the node answered " + what + " with an error: " + line());
        }
        if (first != '*') {
            throw new IOException("expected a RESP array in reply to " + what + ", got '" + (char) first + "'");
        }
        int elements = Integer.parseInt(line());
        for (int i = 0; i < elements; i++) {
            int type = in.read();
            String header = line();
            if (type == '$') {
                in.readNBytes(Integer.parseInt(header) + 2);
            } else if (!other.take(i, type, header)) {
                throw new IOException("unexpected RESP element '" + (char) type + header + "' in the reply to " + what);
            }
        }
        return elements;
    }

    /** A reply element that is not a bulk string. */
    private interface OtherElement {
        boolean take(int index, int type, String header);
    }

    private void send(List<String> command) throws IOException {
        StringBuilder request = new StringBuilder().append('*').append(command.size()).append("\r\n");
        for (String argument : command) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n");
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            request.setLength(0);
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the node closed the RESP connection");
            }
            line.append((char) b);
        }
        in.read(); // '\n'
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
