module org.modkv.storage.wal {
    requires org.modkv.api;
}
