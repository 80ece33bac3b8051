/** Placeholder module: the plugin arrives with its own issue. */
module org.modkv.replication.quorum {
    requires org.modkv.api;
}
