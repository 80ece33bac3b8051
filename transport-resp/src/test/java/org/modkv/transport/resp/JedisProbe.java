package org.modkv.transport.resp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.modkv.testkit.transport.TransportProbe;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A {@link TransportProbe} that speaks RESP through Jedis' binary commands: an error reply
 * ({@code -ERR ...}, {@code -BUSY ...}) becomes an {@link TransportProbe.ErrorReply}, a lost
 * connection Jedis' own {@code JedisConnectionException}.
 */
final class JedisProbe implements TransportProbe {
    /** Guards against a hang, not a timing assertion. */
    private static final int SOCKET_TIMEOUT_MS = 30_000;

    private final Jedis jedis;

    JedisProbe(InetSocketAddress address) {
        jedis = new Jedis(address.getHostString(), address.getPort(), SOCKET_TIMEOUT_MS);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        answer(() -> jedis.set(key, value));
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        return Optional.ofNullable(answer(() -> jedis.get(key)));
    }

    @Override
    public boolean delete(byte[] key) {
        return answer(() -> jedis.del(key)) == 1;
    }

    @Override
    public void putPipelined(List<byte[]> keys, List<byte[]> values) {
        Pipeline pipeline = jedis.pipelined();
        List<Response<String>> replies = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            replies.add(pipeline.set(keys.get(i), values.get(i)));
        }
        pipeline.sync();
        for (Response<String> reply : replies) {
            answer(reply::get);
        }
    }

    @Override
    public void close() {
        jedis.close();
    }

    private static <T> T answer(Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisDataException e) {
            throw new ErrorReply(e.getMessage());
        }
    }
}
