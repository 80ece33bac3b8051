/** Placeholder module: the plugin arrives with its own issue. */
module org.modkv.index.tfidf {
    requires org.modkv.api;
}
