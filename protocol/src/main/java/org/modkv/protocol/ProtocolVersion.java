package org.modkv.protocol;

/**
 * The version of the client protocol in {@code modkv.proto}. A client announces it in its
 * {@code Hello}; a server that does not speak it answers {@code UNSUPPORTED_PROTOCOL_VERSION}
 * with {@link #unsupportedMessage(int)} and closes the connection.
 */
public final class ProtocolVersion {
    /** The version this build speaks. Bumped only for changes old peers cannot ignore. */
    public static final int CURRENT = 1;

    private ProtocolVersion() {
    }

    /** Whether a peer announcing {@code version} can be served by this build. */
    public static boolean isSupported(int version) {
        return version == CURRENT;
    }

    /** The error text for a Hello with an unsupported version. */
    public static String unsupportedMessage(int version) {
        return "protocol version " + Integer.toUnsignedString(version) + " not supported; this server speaks "
                + CURRENT;
    }
}
