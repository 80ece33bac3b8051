package org.modkv.transport.tcp;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.modkv.protocol.wire.Delete;
import org.modkv.protocol.wire.Get;
import org.modkv.protocol.wire.Put;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;
import org.modkv.testkit.transport.TransportProbe;

/**
 * A {@link TransportProbe} that speaks the modkv protocol in raw frames over a
 * {@link RawConnection}: unlike {@code ModkvClient}, it sends whatever it is given (a frame
 * past the server's limit included), so the transport is what refuses.
 */
final class RawFrameProbe implements TransportProbe {
    private final RawConnection connection;
    private long nextId = 100;

    RawFrameProbe(InetSocketAddress address) throws IOException {
        connection = new RawConnection(address);
        connection.handshake();
    }

    @Override
    public void put(byte[] key, byte[] value) throws IOException {
        expect(call(Request.newBuilder().setPut(Put.newBuilder().setKey(ByteString.copyFrom(key))
                .setValue(ByteString.copyFrom(value)))), Response.BodyCase.OK);
    }

    @Override
    public Optional<byte[]> get(byte[] key) throws IOException {
        Response reply = expect(call(Request.newBuilder().setGet(Get.newBuilder().setKey(ByteString.copyFrom(key)))),
                Response.BodyCase.VALUE);
        return reply.getValue().getFound() ? Optional.of(reply.getValue().getValue().toByteArray()) : Optional.empty();
    }

    @Override
    public boolean delete(byte[] key) throws IOException {
        Response reply = expect(call(Request.newBuilder().setDelete(Delete.newBuilder().setKey(ByteString.copyFrom(key)))),
                Response.BodyCase.DELETED);
        return reply.getDeleted().getExisted();
    }

    @Override
    public void putPipelined(List<byte[]> keys, List<byte[]> values) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            long id = nextId++;
            ids.add(id);
            connection.send(Request.newBuilder().setId(id).setPut(Put.newBuilder().setKey(ByteString.copyFrom(keys.get(i)))
                    .setValue(ByteString.copyFrom(values.get(i)))).build());
        }
        for (int i = 0; i < ids.size(); i++) {
            Response reply = read();
            if (!ids.contains(reply.getId())) {
                throw new AssertionError("a reply to no request of the pipeline: " + reply);
            }
            expect(reply, Response.BodyCase.OK);
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    private Response call(Request.Builder request) throws IOException {
        long id = nextId++;
        connection.send(request.setId(id).build());
        Response reply = read();
        if (reply.getId() != id && !reply.hasError()) {
            throw new AssertionError("request " + id + " was answered as " + reply.getId() + ": " + reply);
        }
        return reply;
    }

    private Response read() throws IOException {
        Response reply = connection.read();
        if (reply == null) {
            throw new IOException("the server closed the connection");
        }
        return reply;
    }

    private static Response expect(Response reply, Response.BodyCase body) {
        if (reply.hasError()) {
            throw new ErrorReply(reply.getError().getCode() + ": " + reply.getError().getMessage());
        }
        if (reply.getBodyCase() != body) {
            throw new AssertionError("expected " + body + ", got " + reply);
        }
        return reply;
    }
}
