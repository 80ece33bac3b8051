/**
 * The modkv client protocol: the {@code .proto} schema's generated messages
 * ({@code org.modkv.protocol.wire}) and the framing constants that clients and the {@code tcp}
 * transport share ({@code org.modkv.protocol}). Depends on protobuf-java only.
 */
module org.modkv.protocol {
    requires transitive com.google.protobuf;

    exports org.modkv.protocol;
    exports org.modkv.protocol.wire;
    // Generated code's toString()/reflection paths need deep access from protobuf-java.
    opens org.modkv.protocol.wire to com.google.protobuf;
}
