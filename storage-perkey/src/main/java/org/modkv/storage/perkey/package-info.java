/**
 * The {@code perkey} storage engine: one plain file per key.
 *
 * <p>Where to start reading: {@link org.modkv.storage.perkey.PerKeyStorageEngine} (the design
 * and its guarantees), then the write path in order: {@code IntentCommitter} (group commit
 * into the intent log), {@code WriteOverlay} (what reads see before the files),
 * {@code KeyFileFlusher} (temp file, fsync, rename, checkpoint). On-disk formats:
 * {@code DataLayout} (the directory), {@code KeyFileNames} (key to path), {@code KeyFileFormat}
 * (a key file), {@code IntentFormat} (an intent file), {@code CheckpointFile}.
 */
package org.modkv.storage.perkey;
