package org.modkv.transport.tcp;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.ProtocolVersion;
import org.modkv.protocol.wire.Hello;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;

/** A blocking socket that speaks raw frames, to send what a well-behaved client never would. */
final class RawConnection implements AutoCloseable {
    /** Guards against a hang, not a timing assertion: the server answers in far less. */
    private static final int READ_GUARD_MS = 20_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawConnection(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, READ_GUARD_MS);
        socket.setSoTimeout(READ_GUARD_MS);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawConnection send(Request request) throws IOException {
        return sendBytes(FrameFormat.encode(request));
    }

    RawConnection sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends Hello and checks the HelloOk. */
    RawConnection handshake() throws IOException {
        send(Request.newBuilder().setId(1).setHello(Hello.newBuilder().setProtocolVersion(ProtocolVersion.CURRENT)).build());
        Response reply = read();
        if (reply == null || !reply.hasHelloOk()) {
            throw new AssertionError("expected HelloOk, got " + reply);
        }
        return this;
    }

    /** Stops sending (FIN), as a client that is done would. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The next frame, or {@code null} when the server has closed the connection. */
    Response read() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        } catch (java.net.SocketException e) {
            return null; // reset: also the end
        }
        return Response.parseFrom(in.readNBytes(length));
    }

    /** Every frame until the server closes the connection. */
    List<Response> readUntilClosed() throws IOException {
        List<Response> frames = new ArrayList<>();
        for (Response r = read(); r != null; r = read()) {
            frames.add(r);
        }
        return frames;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
