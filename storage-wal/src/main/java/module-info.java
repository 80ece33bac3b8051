/**
 * The {@code wal} storage plugin: a log-structured engine (Bitcask model) over a checksummed,
 * segmented write-ahead log with group commit. Nothing is exported; the kernel finds the
 * provider through {@code provides}.
 */
module org.modkv.storage.wal {
    requires org.modkv.api;

    provides org.modkv.api.storage.StorageProvider with org.modkv.storage.wal.WalStorageProvider;
}
