/**
 * The {@code perkey} storage plugin: one plain file per key, written with temp file, fsync and
 * atomic rename, with atomic multi-key batches through a durable intent log. Nothing is
 * exported; the kernel finds the provider through {@code provides}.
 */
module org.modkv.storage.perkey {
    requires org.modkv.api;

    provides org.modkv.api.storage.StorageProvider with org.modkv.storage.perkey.PerKeyStorageProvider;
}
