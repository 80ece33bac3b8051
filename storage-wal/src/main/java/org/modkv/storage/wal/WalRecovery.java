package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.MutationType;

/**
 * Opens an engine directory: fills the key directory from every data file (from its hint file
 * when it has a good one, else by replaying it), cuts a torn tail off the active segment,
 * refuses corruption, and removes what an interrupted merge left behind: it finishes a merge
 * whose {@link MergeCommit} is there, and removes temporary files (among them the outputs of a
 * merge that did not commit) and hint files whose data file is gone, each with a log line. A
 * hint file of a data file that is there is kept.
 *
 * <p>Files load in any order: for each key the entry with the highest sequence number wins,
 * deletes included (the directory keeps deleted keys during recovery for that). Log segments
 * ({@code .wal}) must carry increasing sequence numbers from one to the next; merge outputs
 * ({@code .merged}) hold entries of any age.
 */
final class WalRecovery {
    private static final System.Logger LOG = System.getLogger(WalRecovery.class.getName());
    /** Average bytes per key assumed when sizing the key directory from files without hints. */
    private static final int BYTES_PER_KEY_GUESS = 128;
    private static final int HINT_BYTES_PER_KEY_GUESS = 40;
    /** Entries applied together; see {@link KeyDirectory#touch}. */
    private static final int APPLY_BATCH = 32;

    /** An open, recovered directory. */
    record Recovered(DataFiles files, KeyDirectory directory, long lastSequence) {
    }

    private WalRecovery() {
    }

    /**
     * @throws IOException if a file cannot be read or is corrupt (the message names the file and
     *     the byte offset)
     */
    static Recovered recover(Path dir, WalOptions options, ChannelOpener opener) throws IOException {
        Files.createDirectories(dir);
        MergeCommit.completeInterrupted(dir);
        TreeMap<Long, Path> segments = new TreeMap<>();
        TreeMap<Long, Path> merged = new TreeMap<>();
        TreeMap<Long, Path> hints = new TreeMap<>();
        long maxId = 0;
        long guessedKeys = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!Files.isRegularFile(entry)) {
                    continue;
                }
                if (name.endsWith(DataFile.TEMP_SUFFIX)) {
                    String base = name.substring(0, name.length() - DataFile.TEMP_SUFFIX.length());
                    LOG.log(System.Logger.Level.INFO, "removing " + entry + (DataFile.parseId(base,
                            DataFile.Kind.MERGED) >= 0 ? ", the output of a merge that did not commit (the files it "
                            + "merged are all still here)" : ", left unfinished when the engine stopped"));
                    Files.deleteIfExists(entry);
                    continue;
                }
                long id;
                if ((id = DataFile.parseId(name, DataFile.Kind.SEGMENT)) >= 0) {
                    segments.put(id, entry);
                } else if ((id = DataFile.parseId(name, DataFile.Kind.MERGED)) >= 0) {
                    merged.put(id, entry);
                } else if ((id = DataFile.parseNumber(name, HintFile.SUFFIX)) >= 0) {
                    hints.put(id, entry);
                } else {
                    continue;
                }
                maxId = Math.max(maxId, id);
            }
        }
        for (Map.Entry<Long, Path> hint : hints.entrySet()) {
            if (!segments.containsKey(hint.getKey()) && !merged.containsKey(hint.getKey())) {
                LOG.log(System.Logger.Level.INFO, "removing " + hint.getValue() + ", a hint file whose data file is "
                        + "gone (merged away, or the output of a merge that did not commit)");
                Files.delete(hint.getValue());
            } else {
                guessedKeys += Files.size(hint.getValue()) / HINT_BYTES_PER_KEY_GUESS;
            }
        }
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            if (!hints.containsKey(segment.getKey())) {
                guessedKeys += Files.size(segment.getValue()) / BYTES_PER_KEY_GUESS;
            }
        }

        DataFiles files = new DataFiles(dir, options.segmentBytes(), opener, maxId + 1, options.preallocate());
        KeyDirectory directory = new KeyDirectory(guessedKeys, files);
        List<DataFile> opened = new ArrayList<>();
        try {
            Loader loader = new Loader(directory);
            directory.keepDeletes(true);
            long stamp = directory.beginUpdate();
            long lastSequence;
            try {
                long highest = 0;
                for (Map.Entry<Long, Path> entry : merged.entrySet()) {
                    DataFile file = DataFile.openReadOnly(entry.getValue(), entry.getKey(), DataFile.Kind.MERGED);
                    opened.add(file);
                    files.add(file, false);
                    highest = Math.max(highest, loader.load(file, SegmentReplay.Rules.MERGED, false, 0));
                }
                long chain = 0;
                int remaining = segments.size();
                for (Map.Entry<Long, Path> entry : segments.entrySet()) {
                    boolean last = --remaining == 0;
                    DataFile file = last
                            ? DataFile.openExisting(entry.getValue(), entry.getKey(), DataFile.Kind.SEGMENT, opener)
                            : DataFile.openReadOnly(entry.getValue(), entry.getKey(), DataFile.Kind.SEGMENT);
                    opened.add(file);
                    files.add(file, last);
                    chain = loader.load(file, SegmentReplay.Rules.SEGMENT, last, chain);
                }
                lastSequence = Math.max(highest, chain);
            } finally {
                directory.endUpdate(stamp);
                directory.keepDeletes(false);
            }
            if (segments.isEmpty()) {
                DataFile first = DataFile.create(dir, files.nextId(), DataFile.Kind.SEGMENT, opener);
                opened.add(first);
                files.add(first, true);
                DataFiles.syncDirectory(dir);
            }
            directory.compactIfWorthIt();
            return new Recovered(files, directory, lastSequence);
        } catch (IOException | RuntimeException e) {
            for (DataFile file : opened) {
                try {
                    file.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof CorruptDataException damage) {
                throw SegmentReplay.refusingToOpen(damage);
            }
            throw e;
        }
    }

    /** Feeds one data file's entries into the key directory. */
    private static final class Loader implements SegmentReplay.RecordSink, HintFile.EntrySink {
        private final KeyDirectory directory;
        private DataFile file;
        private boolean merged;
        // Per-file totals, kept locally and handed to the file once: no fence per entry.
        private long minSequence;
        private long maxSequence;
        private long entryBytes;
        private long keptDeleteBytes;
        // Entries waiting to be applied, so that their table slots are touched together first.
        private DirectBuffer batchView;
        private int batched;
        private final long[] hashes = new long[APPLY_BATCH];
        private final long[] sequences = new long[APPLY_BATCH];
        private final long[] entryOffsets = new long[APPLY_BATCH];
        private final int[] entryLengths = new int[APPLY_BATCH];
        private final int[] keyOffsets = new int[APPLY_BATCH];
        private final int[] keyLengths = new int[APPLY_BATCH];
        private final byte[] types = new byte[APPLY_BATCH];
        private final int[] checksums = new int[APPLY_BATCH];
        private final EntryChecksum checksum = new EntryChecksum();
        private long touched;

        Loader(KeyDirectory directory) {
            this.directory = directory;
        }

        /**
         * Loads {@code file} from its hint or its records. Returns the highest sequence number it
         * holds or covers (for a segment: the last one, checked to follow {@code previous}).
         */
        long load(DataFile file, SegmentReplay.Rules rules, boolean active, long previous) throws IOException {
            start(file);
            if (!active) {
                HintFile.Header header = HintFile.load(HintFile.path(file.path().getParent(), file.id()), file,
                        this);
                if (header != null) {
                    finish();
                    file.hinted(true);
                    file.coversSequence(header.maxSequence());
                    if (rules == SegmentReplay.Rules.SEGMENT && header.minSequence() <= previous
                            && header.entries() > 0) {
                        throw SegmentReplay.corrupt(file, 0, "its first sequence number " + header.minSequence()
                                + " does not follow " + previous + " (from its hint file)");
                    }
                    return Math.max(previous, file.maxSequence());
                }
                start(file);
            }
            SegmentReplay.Outcome outcome = SegmentReplay.replay(file, rules, active, previous, this);
            finish();
            if (outcome.torn()) {
                long fileBytes = file.channel().size();
                file.truncate(outcome.validBytes());
                LOG.log(System.Logger.Level.WARNING, "write-ahead log " + file.path() + ": torn tail at byte offset "
                        + outcome.validBytes() + " (" + outcome.tornReason() + "); dropped "
                        + (fileBytes - outcome.validBytes()) + " bytes of a write that was in progress when the node "
                        + "stopped");
            } else if (outcome.zeroTail()) {
                file.recoveredPreallocated(outcome.validBytes());
            } else {
                file.recovered(outcome.validBytes());
            }
            file.coversSequence(outcome.coveredSequence());
            return rules == SegmentReplay.Rules.MERGED ? file.maxSequence() : outcome.lastWord();
        }

        private void start(DataFile next) {
            file = next;
            merged = next.kind() == DataFile.Kind.MERGED;
            minSequence = Long.MAX_VALUE;
            maxSequence = 0;
            entryBytes = 0;
            keptDeleteBytes = 0;
        }

        private void finish() {
            if (minSequence != Long.MAX_VALUE) {
                file.sawSequence(minSequence);
                file.sawSequence(maxSequence);
            }
            file.addEntryBytes(entryBytes);
            file.addLiveBytes(keptDeleteBytes);
        }

        @Override
        public void endOfFile() {
            flush();
        }

        @Override
        public void endOfHint() {
            flush();
        }

        /** Queues the entries of a record whose checksum replay has checked, with their {@link EntryChecksum}s. */
        @Override
        public void accept(DirectBuffer view, int recordOffset, int recordBytes, long sequence) {
            int end = recordOffset + recordBytes;
            int p = recordOffset + WalRecordFormat.BATCH_OFFSET;
            while (p < end) {
                int keyLength = view.getInt(p + 1, ByteOrder.BIG_ENDIAN);
                int entryLength = WalRecordFormat.ENTRY_HEADER_BYTES + keyLength
                        + view.getInt(p + 5, ByteOrder.BIG_ENDIAN) + view.getInt(p + 9, ByteOrder.BIG_ENDIAN);
                byte type = view.getByte(p);
                int entryChecksum = type == MutationType.PUT.code() ? checksum.of(view, p, entryLength) : 0;
                accept(sequence, p, entryLength, type, entryChecksum, view, p + WalRecordFormat.ENTRY_HEADER_BYTES,
                        keyLength);
                p += entryLength;
            }
        }

        /** Queues one entry; {@code key} is the mapped file, valid until {@link #endOfFile()}. */
        @Override
        public void accept(long sequence, long entryOffset, int entryLength, byte type, int entryChecksum,
                           DirectBuffer key, int keyOffset, int keyLength) {
            if (sequence < minSequence) {
                minSequence = sequence;
            }
            if (sequence > maxSequence) {
                maxSequence = sequence;
            }
            entryBytes += entryLength;
            if (batched == APPLY_BATCH || (batchView != null && batchView != key)) {
                flush();
            }
            batchView = key;
            int i = batched++;
            hashes[i] = KeyHash.hash(key, keyOffset, keyLength);
            sequences[i] = sequence;
            entryOffsets[i] = entryOffset;
            entryLengths[i] = entryLength;
            keyOffsets[i] = keyOffset;
            keyLengths[i] = keyLength;
            types[i] = type;
            checksums[i] = entryChecksum;
            if (batched == APPLY_BATCH) {
                flush();
            }
        }

        /** Touches the slots of the queued entries, then applies them in order. */
        private void flush() {
            int count = batched;
            if (count == 0) {
                return;
            }
            long sum = 0;
            for (int i = 0; i < count; i++) {
                sum += directory.touch(hashes[i]);
            }
            touched += sum;
            DirectBuffer view = batchView;
            for (int i = 0; i < count; i++) {
                if (types[i] == MutationType.PUT.code()) {
                    directory.put(hashes[i], view, keyOffsets[i], keyLengths[i],
                            Location.of(file.id(), entryOffsets[i]), entryLengths[i], sequences[i], checksums[i]);
                } else {
                    directory.delete(hashes[i], view, keyOffsets[i], keyLengths[i], sequences[i]);
                    if (merged) {
                        keptDeleteBytes += entryLengths[i];
                    }
                }
            }
            batched = 0;
            batchView = null;
        }
    }
}
