/** Placeholder module: the plugin arrives with its own issue. */
module org.modkv.storage.perkey {
    requires org.modkv.api;
}
