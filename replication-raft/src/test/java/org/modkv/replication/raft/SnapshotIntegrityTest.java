package org.modkv.replication.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * A snapshot damaged on its way (in the leader's snapshot file, which the sender reads chunk by
 * chunk, or in the follower's file waiting to be installed) never reaches the follower's storage:
 * the follower checks every record of the complete file before it touches storage, refuses a
 * damaged one (the leader then starts a new transfer) and deletes a damaged pending install.
 */
class SnapshotIntegrityTest {
    private static final int CHUNK = 1000;

    @TempDir
    Path leaderDir;
    @TempDir
    Path followerDir;

    /** Just enough of a storage engine to take a checkpoint from. */
    private static final class MapStorage implements StorageEngine {
        final TreeMap<String, String> map = new TreeMap<>();

        @Override
        public boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredRecord> get(byte[] key) {
            String value = map.get(new String(key, StandardCharsets.UTF_8));
            return Optional.ofNullable(value).map(v -> record(new String(key, StandardCharsets.UTF_8), v));
        }

        @Override
        public void scan(Consumer<StoredRecord> visitor) {
            map.forEach((k, v) -> visitor.accept(record(k, v)));
        }

        private static StoredRecord record(String key, String value) {
            return new StoredRecord(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                    new byte[0]);
        }

        @Override
        public long keyCount() {
            return map.size();
        }

        @Override
        public long lastSequence() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    private static MapStorage leaderStorage() {
        MapStorage storage = new MapStorage();
        for (int i = 0; i < 200; i++) {
            storage.map.put("key-" + i, "value-" + i + "-" + "x".repeat(40));
        }
        return storage;
    }

    /** Sends every chunk of {@code transfer} to {@code receiver}; returns what the last accept said. */
    private static boolean sendAll(SnapshotTransfer transfer, SnapshotReceiver receiver) throws IOException {
        boolean accepted = true;
        while (accepted) {
            byte[] data = transfer.nextChunk(CHUNK);
            boolean done = transfer.lastChunk(data.length);
            accepted = receiver.accept(transfer.index, transfer.term, transfer.offset(), data, done);
            transfer.advance(data.length);
            if (done) {
                break;
            }
        }
        return accepted;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x20)).position(0);
            channel.write(one, offset);
        }
    }

    private List<String> followerFiles() throws IOException {
        try (Stream<Path> files = Files.list(followerDir)) {
            List<String> names = new ArrayList<>();
            files.forEach(f -> names.add(f.getFileName().toString()));
            return names;
        }
    }

    @Test
    void anIntactSnapshotIsReadyToInstall() throws IOException {
        SnapshotReceiver receiver = new SnapshotReceiver(followerDir);
        try (SnapshotTransfer transfer = SnapshotTransfer.create(leaderDir, "n2", leaderStorage(), 50, 3)) {
            assertTrue(sendAll(transfer, receiver));
        }
        assertTrue(receiver.completed().isPresent());
        assertEquals(Optional.of(receiver.completed().get()), SnapshotReceiver.pendingInstall(followerDir));
    }

    @Test
    void aSnapshotFileDamagedOnTheLeaderWhileItIsSentIsRefusedAndNothingIsLeftToInstall() throws IOException {
        SnapshotReceiver receiver = new SnapshotReceiver(followerDir);
        try (SnapshotTransfer transfer = SnapshotTransfer.create(leaderDir, "n2", leaderStorage(), 50, 3)) {
            flipByte(leaderDir.resolve("snapshot-to-n2.tmp"), 5 * CHUNK / 2); // in the third chunk
            assertFalse(sendAll(transfer, receiver), "the last chunk is refused: the snapshot does not check out");
        }
        assertTrue(receiver.completed().isEmpty());
        assertEquals(List.of(), followerFiles(), "the damaged snapshot was deleted, nothing waits to be installed");
        assertEquals(Optional.empty(), SnapshotReceiver.pendingInstall(followerDir));
    }

    @Test
    void aPendingInstallDamagedOnDiskIsDeletedInsteadOfInstalled() throws IOException {
        SnapshotReceiver receiver = new SnapshotReceiver(followerDir);
        try (SnapshotTransfer transfer = SnapshotTransfer.create(leaderDir, "n2", leaderStorage(), 50, 3)) {
            assertTrue(sendAll(transfer, receiver));
        }
        Path pending = receiver.completed().orElseThrow().file();
        flipByte(pending, Files.size(pending) / 2);
        assertEquals(Optional.empty(), SnapshotReceiver.pendingInstall(followerDir));
        assertFalse(Files.exists(pending));
    }

    @Test
    void theSnapshotCarriesEveryRecordOfTheLeaderStorage() throws IOException {
        SnapshotReceiver receiver = new SnapshotReceiver(followerDir);
        MapStorage leader = leaderStorage();
        try (SnapshotTransfer transfer = SnapshotTransfer.create(leaderDir, "n2", leader, 50, 3)) {
            assertTrue(sendAll(transfer, receiver));
        }
        Map<String, String> installed = new TreeMap<>();
        try (var in = Files.newInputStream(receiver.completed().orElseThrow().file())) {
            var reader = org.modkv.api.storage.CheckpointReader.open(in);
            for (StoredRecord r = reader.next(); r != null; r = reader.next()) {
                installed.put(new String(r.key(), StandardCharsets.UTF_8),
                        new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(leader.map, installed);
    }
}
