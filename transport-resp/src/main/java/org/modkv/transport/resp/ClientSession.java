package org.modkv.transport.resp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a connection remembers between its requests: its id, the name a client gave it with
 * {@code CLIENT SETNAME}, whether it asked to {@code QUIT}, and its MULTI queue and WATCHed
 * keys. Confined to the connection's event loop, except the watched versions, which WATCH's
 * reads record from whatever thread completes them.
 */
final class ClientSession {
    private final long id;
    private byte[] name;
    private boolean quit;
    /** Commands queued since MULTI, or null outside a transaction. */
    private List<RespRequest> queued;
    private boolean queueFailed;
    /** WATCHed keys and the version each had (-1: absent). Written from completion threads too. */
    private final Map<ByteBuffer, Long> watched = new ConcurrentHashMap<>();

    ClientSession(long id) {
        this.id = id;
    }

    long id() {
        return id;
    }

    /** The name set with {@code CLIENT SETNAME}, or {@code null}. */
    byte[] name() {
        return name;
    }

    void name(byte[] name) {
        this.name = name;
    }

    /** Marks the connection to be closed once the replies before and including QUIT's are written. */
    void quit() {
        quit = true;
    }

    boolean quitRequested() {
        return quit;
    }

    /** Whether MULTI was called and neither EXEC nor DISCARD yet. */
    boolean inTransaction() {
        return queued != null;
    }

    void beginTransaction() {
        queued = new ArrayList<>();
        queueFailed = false;
    }

    void queue(RespRequest request) {
        queued.add(request);
    }

    /** A command was refused at queue time: EXEC will discard the transaction. */
    void queueFailed() {
        queueFailed = true;
    }

    boolean transactionFailed() {
        return queueFailed;
    }

    /** Ends the transaction and forgets the watched keys, answering what was queued. */
    List<RespRequest> endTransaction() {
        List<RespRequest> commands = queued;
        queued = null;
        queueFailed = false;
        watched.clear();
        return commands == null ? List.of() : commands;
    }

    Map<ByteBuffer, Long> watched() {
        return watched;
    }
}
