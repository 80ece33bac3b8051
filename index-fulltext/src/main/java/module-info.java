/** Placeholder module: the plugin arrives with its own issue. */
module org.modkv.index.fulltext {
    requires org.modkv.api;
}
