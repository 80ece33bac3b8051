/** Placeholder module: the plugin arrives with its own issue. */
module org.modkv.examples.thirdparty {
    requires org.modkv.api;
}
