/** Placeholder module: the plugin arrives with its own issue. */
module org.modkv.replication.raft {
    requires org.modkv.api;
}
