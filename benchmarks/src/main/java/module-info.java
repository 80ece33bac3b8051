module org.modkv.benchmarks {
    requires org.modkv.api;
    requires jmh.core;
    uses org.modkv.api.storage.StorageProvider;
}
