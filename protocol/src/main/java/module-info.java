module org.modkv.protocol {
    requires transitive com.google.protobuf;
}
