package org.modkv.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;

/**
 * A blocking stand-in for a modkv server, one thread per connection (named
 * {@code scripted-connection-N}, N counting from 1 in accept order), that answers each
 * request as its script says: with responses, with nothing, or by closing the connection.
 */
final class ScriptedServer implements AutoCloseable {
    /** What the script does with one request: {@code null} closes the connection. */
    interface Script extends Function<Request, List<Response>> {
    }

    private final ServerSocket socket;
    private final Script script;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ScriptedServer(Script script) throws IOException {
        this(script, List.of());
    }

    /** @param greeting frames sent as soon as a connection is accepted */
    ScriptedServer(Script script, List<Response> greeting) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.acceptor = new Thread(() -> acceptLoop(greeting), "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String hostPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    List<Request> received() {
        return received;
    }

    /** Closes every accepted connection; the server goes on accepting new ones. */
    void dropConnections() throws IOException {
        for (Socket s : connections) {
            s.close();
        }
    }

    private void acceptLoop(List<Response> greeting) {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s, greeting), "scripted-connection-" + connections.size());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, List<Response> greeting) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (Response r : greeting) {
                out.write(FrameFormat.encode(r));
            }
            out.flush();
            while (true) {
                int length = in.readInt();
                byte[] body = in.readNBytes(length);
                Request request = Request.parseFrom(body);
                received.add(request);
                List<Response> replies = script.apply(request);
                if (replies == null) {
                    return;
                }
                for (Response r : replies) {
                    out.write(FrameFormat.encode(r));
                }
                out.flush();
            }
        } catch (EOFException e) {
            // client went away
        } catch (IOException e) {
            // socket closed by close()
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
