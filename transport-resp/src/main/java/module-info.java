/** Placeholder module: the plugin arrives with its own issue. */
module org.modkv.transport.resp {
    requires org.modkv.api;
}
