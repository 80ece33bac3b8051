/**
 * The {@code wal} storage plugin: a log-structured engine (Bitcask model) over checksummed
 * segment files, fed by an Agrona ring buffer and one group-commit agent, with an off-heap key
 * directory, background merge with hint files, and a durable segment log for Raft. Nothing is
 * exported; the kernel finds the provider through {@code provides}.
 *
 * <p>Runtime requirement: Agrona needs {@code --add-exports java.base/jdk.internal.misc=org.agrona}.
 */
module org.modkv.storage.wal {
    requires org.modkv.api;
    requires org.agrona;

    provides org.modkv.api.storage.StorageProvider with org.modkv.storage.wal.WalStorageProvider;
}
