package org.modkv.storage.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.MutationType;

/**
 * Merge (compaction) of sealed data files, and hint files for sealed segments.
 *
 * <p><b>Merge.</b> The inputs' records are read in place; an entry survives if it is still
 * the one the key directory points at (a put), or if it is a delete that may still hide an
 * older put. Survivors are copied, keeping their sequence numbers, into new files
 * ({@code <id>.merged}, each at most {@code wal.segment.bytes}) together with a hint file. An
 * output is written under its temporary name ({@code <id>.merged.tmp}) and fsync'd with its
 * hint, and the directory fsync'd; only then is the key directory pointed at it (a
 * compare-and-set per key: a key written meanwhile keeps its newer location). When every output
 * is there, a {@link MergeCommit} naming outputs and inputs makes the merge happen as a whole;
 * then the outputs get their own names and the inputs are unregistered and deleted. A crash
 * before the commit leaves the inputs, and outputs under temporary names that recovery removes;
 * a crash after it leaves the commit, which recovery carries out.
 *
 * <p><b>Failure.</b> A merge that fails before its commit takes itself back: the key directory
 * is pointed at the inputs again (again a compare-and-set per key), and its outputs, their hints
 * and temporary files are unregistered and deleted, so a merge that keeps failing does not fill
 * the disk. One that fails after its commit (renaming or deleting) is finished by the next round
 * before anything else, or by recovery.
 *
 * <p><b>Deletes.</b> Recovery resolves every key by sequence number, so a delete is needed on
 * disk exactly as long as some file might still hold an older put of its key. A delete with
 * sequence {@code s} is dropped when every file outside the merge has only newer records
 * ({@code minSequence > s}): then no surviving file can hold an older put. Otherwise it is
 * kept, and counted as live in the output so that it does not trigger the next merge on its
 * own. A deleted key therefore never comes back after merge and restart.
 *
 * <p><b>Damage.</b> Every record is read through {@link SegmentReplay}, which checks its
 * checksum before the merge copies a byte of it, so a merge never gives damaged data a fresh,
 * valid checksum. A record that fails stops the merge: the output being written is deleted,
 * the inputs stay as they are, and the damaged file is marked ({@link DataFile#markDamaged}),
 * logged, counted in the engine's stats ({@code damaged_files}) and left out of every later
 * merge and hint, so that its bytes stay where an operator (and {@code modkv check}) can find
 * them. Reads of its intact entries go on; reads of damaged ones are refused.
 *
 * <p>Threading: runs on the merge agent's thread (or a test's); one merge at a time. It
 * touches the key directory through its lock like any writer.
 */
final class SegmentMerger {
    private static final System.Logger LOG = System.getLogger(SegmentMerger.class.getName());
    private static final int OUTPUT_BUFFER_BYTES = 1 << 20;
    private static final int RELOCATIONS_PER_LOCK = 4096;

    private final DataFiles files;
    private final KeyDirectory directory;
    private final EntryChecksum checksum = new EntryChecksum();
    private volatile boolean stopping;
    private volatile long merges;
    private volatile long reclaimedBytes;
    private volatile long segmentHintsWritten;
    private MergeRetirement unfinished;

    SegmentMerger(DataFiles files, KeyDirectory directory) {
        this.files = files;
        this.directory = directory;
    }

    /** Makes a running merge give up at the next record (outputs not yet in place are deleted). */
    void stop() {
        stopping = true;
    }

    long merges() {
        return merges;
    }

    long reclaimedBytes() {
        return reclaimedBytes;
    }

    /** Hint files written for sealed segments (not counting those of merge outputs). */
    long segmentHintsWritten() {
        return segmentHintsWritten;
    }

    /**
     * Writes missing hints, then merges the sealed files whose dead share is at least
     * {@code ratio}, if there are at least {@code minFiles} of them.
     *
     * @return whether anything was done
     */
    synchronized boolean runOnce(double ratio, int minFiles) throws IOException {
        finishRetirement();
        List<DataFile> candidates = new ArrayList<>();
        List<DataFile> empty = new ArrayList<>();
        for (DataFile file : sealedFiles()) {
            long dead = file.deadBytes();
            if (dead > 0 && dead >= ratio * file.entryBytes()) {
                candidates.add(file);
            } else if (file.entryBytes() == 0) {
                empty.add(file);
            }
        }
        boolean merging = !candidates.isEmpty() && candidates.size() >= minFiles;
        if (merging) {
            candidates.addAll(empty);
        }
        // A segment this round merges gets no hint: the merge deletes it, and its output has a
        // hint of its own. Under overwrites a segment is often mostly dead by the time it is
        // sealed, so this saves reading it twice. If the merge fails, the next round hints it.
        boolean work = writeMissingHints(merging ? candidates : List.of()) > 0;
        if (merging) {
            merge(candidates);
            work = true;
        }
        return work;
    }

    /**
     * Every registered data file that takes no more appends and is wholly in the key directory,
     * except damaged ones.
     */
    private List<DataFile> sealedFiles() {
        DataFile active = files.active();
        List<DataFile> sealed = new ArrayList<>();
        for (DataFile file : files.all()) {
            if (file != active && file.isSealed() && file.isSettled() && !file.isRetired() && !file.isDamaged()) {
                sealed.add(file);
            }
        }
        return sealed;
    }

    /** Writes a hint file for each sealed segment that has none. Returns how many. */
    synchronized int writeMissingHints() throws IOException {
        return writeMissingHints(List.of());
    }

    /**
     * Writes a hint file for each sealed data file that has none, except {@code skipped}: sealed
     * segments, and merge outputs whose hint was unusable at start-up (e.g. written by an older
     * version).
     */
    private int writeMissingHints(List<DataFile> skipped) throws IOException {
        int written = 0;
        for (DataFile file : sealedFiles()) {
            if (file.isHinted() || skipped.contains(file)) {
                continue;
            }
            SegmentReplay.Rules rules = file.kind() == DataFile.Kind.MERGED ? SegmentReplay.Rules.MERGED
                    : SegmentReplay.Rules.SEGMENT;
            try (HintFile.Writer hint = new HintFile.Writer(files.dir(), file.id(), files.opener())) {
                SegmentReplay.replay(file, rules, false, 0, (view, recordOffset, recordBytes, sequence) -> {
                    checkStopping();
                    forEachEntry(view, recordOffset, recordBytes, (type, entry, entryLength, key, keyLength) ->
                            hint.add(sequence, entry, entryLength, type, entryChecksum(type, view, entry, entryLength),
                                    view, key, keyLength));
                });
                hint.finish(file.id(), file.size(), file.minSequence(), file.maxSequence());
            } catch (CorruptDataException e) {
                damaged(file, e);
                throw e;
            }
            DataFiles.syncDirectory(files.dir());
            file.hinted(true);
            written++;
            if (file.kind() == DataFile.Kind.SEGMENT) {
                segmentHintsWritten++;
            }
        }
        return written;
    }

    /** The {@link EntryChecksum} of an entry of a checked record, as hints and the key directory keep it. */
    private int entryChecksum(byte type, DirectBuffer view, int entry, int entryLength) {
        return type == MutationType.PUT.code() ? checksum.of(view, entry, entryLength) : 0;
    }

    /**
     * {@code file} failed its checks while the merger read it: it stays as it is, out of merges
     * and hints from now on (see the class comment), and the damage is reported once.
     */
    private void damaged(DataFile file, CorruptDataException e) {
        if (e.file().map(file.path()::equals).orElse(false) && file.markDamaged()) {
            LOG.log(System.Logger.Level.ERROR, "data file " + file.path() + " is damaged; it is kept as it is and "
                    + "left out of merges from now on. Reads of its damaged entries fail with STORAGE_CORRUPT; run "
                    + "'modkv check' on the stopped node's data directory and restore the damaged keys from a "
                    + "replica or a backup. " + e.getMessage());
        }
    }

    /** Merges every sealed data file, whatever its dead share (tests, operators). */
    synchronized void mergeAll() throws IOException {
        List<DataFile> sealed = sealedFiles();
        if (!sealed.isEmpty()) {
            merge(sealed);
        }
    }

    /** Rewrites {@code inputs} (sealed, registered) into merge outputs and deletes them. */
    synchronized void merge(List<DataFile> inputs) throws IOException {
        finishRetirement();
        List<DataFile> sorted = new ArrayList<>(inputs);
        sorted.sort(Comparator.comparingLong(DataFile::id));
        long dropDeletesBelow = Long.MAX_VALUE;
        long covered = 0;
        long inputBytes = 0;
        for (DataFile file : files.all()) {
            if (sorted.contains(file)) {
                covered = Math.max(covered, file.maxSequence());
                inputBytes += file.size();
            } else {
                dropDeletesBelow = Math.min(dropDeletesBelow, file.minSequence());
            }
        }
        MergeOutput output = new MergeOutput(covered, dropDeletesBelow);
        List<DataFile> outputs = new ArrayList<>();
        MergeRetirement retirement;
        try {
            for (DataFile input : sorted) {
                output.copyFrom(input, outputs);
            }
            if (outputs.isEmpty() && !output.started()) {
                // Everything was dead: an output of just its merge-info record still carries the
                // highest sequence number, so a restart never goes back before it.
                output.start();
            }
            output.finish(outputs);
            retirement = MergeRetirement.commit(files, outputs, sorted);
        } catch (IOException | RuntimeException e) {
            output.abandon();
            output.takeBack(e);
            throw e;
        }
        // The merge has happened: from here on a failure is finished later, never undone.
        files.remove(sorted);
        for (DataFile input : sorted) {
            input.retire();
        }
        unfinished = retirement;
        long outputBytes = outputs.stream().mapToLong(DataFile::size).sum();
        merges++;
        reclaimedBytes += Math.max(0, inputBytes - outputBytes);
        finishRetirement();
        LOG.log(System.Logger.Level.INFO, "merged " + sorted.size() + " data files (" + inputBytes + " bytes) of "
                + files.dir() + " into " + outputs.size() + " (" + outputBytes + " bytes)");
    }

    /** Carries out the committed merge a failure left unfinished, if any (see {@link MergeRetirement}). */
    private void finishRetirement() throws IOException {
        if (unfinished != null) {
            unfinished.finish();
            unfinished = null;
        }
    }

    private void checkStopping() throws InterruptedIOException {
        if (stopping) {
            throw new InterruptedIOException("merge stopped: the engine is closing");
        }
    }

    // ---------------------------------------------------------------- entries

    @FunctionalInterface
    private interface EntryVisitor {
        void visit(byte type, int entryOffset, int entryLength, int keyOffset, int keyLength) throws IOException;
    }

    /** Visits the entries of the write record at {@code recordOffset} of {@code view}. */
    private static void forEachEntry(DirectBuffer view, int recordOffset, int recordBytes, EntryVisitor visitor)
            throws IOException {
        int end = recordOffset + recordBytes;
        int p = recordOffset + WalRecordFormat.BATCH_OFFSET;
        while (p < end) {
            int keyLength = view.getInt(p + 1, ByteOrder.BIG_ENDIAN);
            int entryLength = WalRecordFormat.ENTRY_HEADER_BYTES + keyLength + view.getInt(p + 5, ByteOrder.BIG_ENDIAN)
                    + view.getInt(p + 9, ByteOrder.BIG_ENDIAN);
            visitor.visit(view.getByte(p), p, entryLength, p + WalRecordFormat.ENTRY_HEADER_BYTES, keyLength);
            p += entryLength;
        }
    }

    /** The merge output being written, and the ones finished so far. */
    private final class MergeOutput {
        private final long covered;
        private final long dropDeletesBelow;
        private final KeyDirectory.Lookup lookup = new KeyDirectory.Lookup();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(OUTPUT_BUFFER_BYTES);
        private final ByteBuffer checksumView = buffer.duplicate();
        private final UnsafeBuffer bufferView = new UnsafeBuffer(buffer);
        private final CRC32C crc = new CRC32C();
        private int[] survivors = new int[64];
        private DataFile file;
        private HintFile.Writer hint;
        private long size;
        /** Where each entry of the current output was copied from ({@link Location#NONE} for a delete). */
        private long[] oldLocations;
        private int entries;
        /**
         * The outputs in place, and where their entries came from, to take them back if the
         * merge fails before its commit: 8 bytes per copied entry, held until the merge ends.
         */
        private final List<Placed> placed = new ArrayList<>();
        private long entryBytes;
        private long keptDeleteBytes;
        private long minSequence = Long.MAX_VALUE;
        private long maxSequence;

        MergeOutput(long covered, long dropDeletesBelow) {
            this.covered = covered;
            this.dropDeletesBelow = dropDeletesBelow;
        }

        /** Copies the survivors of {@code input}, each record checked before a byte of it is copied. */
        void copyFrom(DataFile input, List<DataFile> outputs) throws IOException {
            SegmentReplay.Rules rules = input.kind() == DataFile.Kind.MERGED ? SegmentReplay.Rules.MERGED
                    : SegmentReplay.Rules.SEGMENT;
            try {
                SegmentReplay.replay(input, rules, false, 0, (view, recordOffset, recordBytes, sequence) -> {
                    checkStopping();
                    copyRecord(input, view, recordOffset, recordBytes, sequence, outputs);
                });
            } catch (CorruptDataException e) {
                damaged(input, e);
                throw e;
            }
        }

        private void copyRecord(DataFile input, DirectBuffer view, int recordOffset, int recordBytes, long sequence,
                                List<DataFile> outputs) throws IOException {
            int count = 0;
            int bytes = 0;
            int end = recordOffset + recordBytes;
            int p = recordOffset + WalRecordFormat.BATCH_OFFSET;
            while (p < end) {
                byte type = view.getByte(p);
                int keyLength = view.getInt(p + 1, ByteOrder.BIG_ENDIAN);
                int entryLength = WalRecordFormat.ENTRY_HEADER_BYTES + keyLength
                        + view.getInt(p + 5, ByteOrder.BIG_ENDIAN) + view.getInt(p + 9, ByteOrder.BIG_ENDIAN);
                int keyOffset = p + WalRecordFormat.ENTRY_HEADER_BYTES;
                boolean found = directory.find(view, keyOffset, keyLength, lookup);
                boolean survives = type == MutationType.PUT.code()
                        ? found && lookup.location == Location.of(input.id(), p)
                        : !found && sequence >= dropDeletesBelow;
                if (survives) {
                    if (count == survivors.length) {
                        survivors = Arrays.copyOf(survivors, count * 2);
                    }
                    survivors[count++] = p;
                    bytes += entryLength;
                }
                p += entryLength;
            }
            if (count == 0) {
                return;
            }
            int outRecordBytes = WalRecordFormat.HEADER_BYTES + bytes;
            if (file == null || (size > firstRecordEnd() && size + outRecordBytes > files.segmentBytes())) {
                finish(outputs);
                start();
            }
            if (buffer.position() + outRecordBytes > buffer.capacity()) {
                flush();
            }
            ByteBuffer target = buffer;
            UnsafeBuffer targetView = bufferView;
            ByteBuffer targetChecksumView = checksumView;
            int at = buffer.position();
            if (outRecordBytes > buffer.capacity()) {
                target = ByteBuffer.allocate(outRecordBytes);
                targetView = new UnsafeBuffer(target);
                targetChecksumView = target.duplicate();
                at = 0;
            }
            targetView.putByte(at + WalRecordFormat.TYPE_OFFSET, WalRecordFormat.TYPE_WRITE);
            targetView.putLong(at + WalRecordFormat.SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
            int q = at + WalRecordFormat.BATCH_OFFSET;
            long recordStart = size;
            for (int i = 0; i < count; i++) {
                int entry = survivors[i];
                byte type = view.getByte(entry);
                int keyLength = view.getInt(entry + 1, ByteOrder.BIG_ENDIAN);
                int entryLength = WalRecordFormat.ENTRY_HEADER_BYTES + keyLength
                        + view.getInt(entry + 5, ByteOrder.BIG_ENDIAN) + view.getInt(entry + 9, ByteOrder.BIG_ENDIAN);
                view.getBytes(entry, targetView, q, entryLength);
                long outOffset = recordStart + (q - at);
                hint.add(sequence, outOffset, entryLength, type, entryChecksum(type, view, entry, entryLength), view,
                        entry + WalRecordFormat.ENTRY_HEADER_BYTES, keyLength);
                if (entries == oldLocations.length) {
                    oldLocations = Arrays.copyOf(oldLocations, entries * 2);
                }
                boolean isPut = type == MutationType.PUT.code();
                oldLocations[entries++] = isPut ? Location.of(input.id(), entry) : Location.NONE;
                entryBytes += entryLength;
                if (!isPut) {
                    keptDeleteBytes += entryLength;
                }
                q += entryLength;
            }
            WalRecordFormat.seal(target, targetChecksumView, at, outRecordBytes, crc);
            if (target == buffer) {
                buffer.position(at + outRecordBytes);
            } else {
                target.limit(outRecordBytes).position(0);
                file.append(target);
            }
            size += outRecordBytes;
            minSequence = Math.min(minSequence, sequence);
            maxSequence = Math.max(maxSequence, sequence);
        }

        boolean started() {
            return file != null;
        }

        private long firstRecordEnd() {
            return WalRecordFormat.HEADER_BYTES;
        }

        void start() throws IOException {
            long id = files.nextId();
            Path temp = files.dir().resolve(DataFile.fileName(id, DataFile.Kind.MERGED) + DataFile.TEMP_SUFFIX);
            file = DataFile.createAt(temp, id, DataFile.Kind.MERGED, files.opener());
            hint = new HintFile.Writer(files.dir(), id, files.opener());
            size = 0;
            oldLocations = new long[1024];
            entries = 0;
            entryBytes = 0;
            keptDeleteBytes = 0;
            minSequence = Long.MAX_VALUE;
            maxSequence = 0;
            buffer.clear();
            byte[] info = WalRecordFormat.newRecord(WalRecordFormat.TYPE_MERGE_INFO, covered, new byte[0], 0, 0);
            buffer.put(info);
            size = info.length;
        }

        private void flush() throws IOException {
            if (buffer.position() > 0) {
                buffer.flip();
                file.append(buffer);
                buffer.clear();
            }
        }

        /**
         * Puts the current output in place (still under its temporary name, see
         * {@link MergeCommit}) and points the key directory at it.
         */
        void finish(List<DataFile> outputs) throws IOException {
            if (file == null) {
                return;
            }
            flush();
            file.seal();
            hint.finish(file.id(), size, minSequence, covered);
            hint.close();
            DataFiles.syncDirectory(files.dir());
            DataFile done = DataFile.openReadOnly(file.path(), file.id(), DataFile.Kind.MERGED);
            file.close();
            file = null;
            hint = null;
            done.addEntryBytes(entryBytes);
            done.addLiveBytes(keptDeleteBytes);
            if (minSequence != Long.MAX_VALUE) {
                done.sawSequence(minSequence);
                done.sawSequence(maxSequence);
            }
            done.coversSequence(covered);
            done.hinted(true);
            files.add(done, false);
            outputs.add(done);
            placed.add(new Placed(done, oldLocations, entries));
            relocate(done, oldLocations, entries, false);
        }

        /**
         * Points each copied put at its copy ({@code back}: at its original again), unless the
         * key has moved on meanwhile.
         */
        private void relocate(DataFile done, long[] copiedFrom, int count, boolean back) throws IOException {
            int[] next = {0};
            long[] stamp = {0};
            try {
                SegmentReplay.replay(done, SegmentReplay.Rules.MERGED, false, 0,
                        (view, recordOffset, recordBytes, sequence) -> forEachEntry(view, recordOffset, recordBytes,
                                (type, entry, entryLength, key, keyLength) -> {
                                    if (next[0] >= count) {
                                        next[0]++;
                                        return;
                                    }
                                    long original = copiedFrom[next[0]++];
                                    if (original == Location.NONE) {
                                        return;
                                    }
                                    if (stamp[0] == 0) {
                                        stamp[0] = directory.beginUpdate();
                                    }
                                    long copy = Location.of(done.id(), entry);
                                    directory.relocate(view, key, keyLength, back ? copy : original,
                                            back ? original : copy);
                                    if (next[0] % RELOCATIONS_PER_LOCK == 0) {
                                        directory.endUpdate(stamp[0]);
                                        stamp[0] = 0;
                                    }
                                }));
            } finally {
                if (stamp[0] != 0) {
                    directory.endUpdate(stamp[0]);
                }
            }
            if (next[0] != count) {
                throw new IOException("merge output " + done.path() + " holds " + next[0] + " entries, expected "
                        + count);
            }
        }

        /** Deletes the output being written (outputs already in place are for {@link #takeBack}). */
        void abandon() {
            try {
                if (hint != null) {
                    hint.close();
                }
                if (file != null) {
                    file.close();
                    Files.deleteIfExists(file.path());
                    Files.deleteIfExists(HintFile.path(files.dir(), file.id())); // if it was finished
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove an unfinished merge output " + file, e);
            }
            file = null;
            hint = null;
        }

        /**
         * Undoes the outputs in place of a merge that failed before its commit: points their
         * keys at the inputs again, unregisters them and deletes them with their hints. An
         * output that cannot be taken back stays registered (its entries are valid copies) and
         * keeps its temporary name, so the next start removes it; problems are added to
         * {@code failure}.
         */
        void takeBack(Throwable failure) {
            boolean removed = false;
            for (int i = placed.size() - 1; i >= 0; i--) {
                Placed output = placed.get(i);
                try {
                    relocate(output.file(), output.copiedFrom(), output.entries(), true);
                } catch (IOException | RuntimeException e) {
                    failure.addSuppressed(e);
                    LOG.log(System.Logger.Level.WARNING, "could not point the keys of merge output "
                            + output.file() + " back at the files it was copied from; it stays in use until the "
                            + "next start, which removes it", e);
                    continue;
                }
                files.remove(List.of(output.file()));
                output.file().retire();
                try {
                    output.file().close();
                    Files.deleteIfExists(output.file().path());
                    Files.deleteIfExists(HintFile.path(files.dir(), output.file().id()));
                    removed = true;
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            }
            placed.clear();
            if (removed) {
                try {
                    DataFiles.syncDirectory(files.dir());
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /** A merge output in place, with where each of its entries was copied from. */
    private record Placed(DataFile file, long[] copiedFrom, int entries) {
    }
}
