package org.modkv.transport.resp;

import java.io.IOException;
import org.modkv.api.ApiVersion;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportContext;
import org.modkv.api.transport.TransportProvider;

/**
 * The {@code resp} transport: serves the Redis protocol (RESP2) so that redis-cli,
 * redis-benchmark and Redis client libraries work against modkv unchanged.
 *
 * <p>Commands: PING, ECHO, GET, SET, DEL, EXISTS, MGET, MSET (atomic), DBSIZE, INFO, COMMAND,
 * QUIT, SELECT 0, CLIENT SETNAME/GETNAME/ID/SETINFO, CONFIG GET, HELLO, and modkv's index
 * commands {@code SEARCH word...}, {@code SEARCHANY word...}, {@code FINDVALUE value} and
 * {@code SIMILAR text [TOP k] [MIN score]}. Every request goes to the kernel's
 * {@code RequestHandler}, so any node serves any command. Config keys are under
 * {@code resp.*}; the endpoint is named {@code resp}.
 *
 * <p>Found through {@link java.util.ServiceLoader}; the kernel calls {@link #start} once.
 */
public final class RespTransportProvider implements TransportProvider {

    /** For {@link java.util.ServiceLoader}; does no work. */
    public RespTransportProvider() {
    }

    @Override
    public String name() {
        return "resp";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "Redis protocol (RESP2) server for redis-cli, redis-benchmark and Redis client libraries";
    }

    @Override
    public ConfigSchema configSchema() {
        return RespSettings.SCHEMA;
    }

    /**
     * Binds {@code resp.listen} and starts serving.
     *
     * @throws IOException if the address cannot be bound; the message names the key and address
     */
    @Override
    public Transport start(TransportContext context) throws IOException {
        return RespServer.start(RespSettings.from(context.config()), context.requests(), context.latency());
    }
}
