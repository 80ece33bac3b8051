package org.modkv.transport.resp;

/**
 * What a connection remembers between its requests: its id, the name a client gave it with
 * {@code CLIENT SETNAME}, and whether it asked to {@code QUIT}. Confined to the connection's
 * event loop.
 */
final class ClientSession {
    private final long id;
    private byte[] name;
    private boolean quit;

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
}
