/**
 * The {@code raft} replication plugin. Depends on the api and protobuf-java only; exports
 * nothing, it is found through {@link java.util.ServiceLoader}.
 */
module org.modkv.replication.raft {
    requires org.modkv.api;
    requires com.google.protobuf;

    // Generated code's toString()/reflection paths need deep access from protobuf-java.
    opens org.modkv.replication.raft.wire to com.google.protobuf;

    provides org.modkv.api.replication.ReplicationProvider
            with org.modkv.replication.raft.RaftReplicationProvider;
}
