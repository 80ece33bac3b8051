package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageCheckReport;
import org.modkv.api.storage.StorageDamage;

/**
 * The offline check of an engine directory ({@code modkv check}, through
 * {@link WalStorageProvider#check}): reads every file the engine keeps, changes none, and
 * reports every piece of damage by file and byte offset instead of stopping at the first.
 *
 * <ul>
 *   <li><b>Data files</b> (segments {@code .wal}, merge outputs {@code .merged}): every record's
 *       length, CRC32C and content, by the rules recovery applies ({@link SegmentReplay}). After
 *       a damaged record the check looks for the next intact one and goes on from there, so one
 *       flipped bit costs one record, not the rest of the file. The end of the last segment may
 *       be a write torn by a crash: that is a note (it was never acknowledged; the next start cuts
 *       it off), not damage.
 *   <li><b>Hint files</b>: every record's checksum, then every entry against the data file's own
 *       entries (offset, length, type, sequence number, key, entry checksum). A hint that fails
 *       its checksums is ignored at start-up (harmless, but reported); one whose checksums match
 *       but whose entries do not would be trusted, so it must be deleted.
 *   <li><b>Durable logs</b> ({@code log-<name>/}): every entry record, consecutive indexes, and
 *       the {@code first-index} file.
 *   <li><b>Merge commits</b> ({@code .retire}): their checksum; the files a good one names are
 *       deleted at the next start and not checked.
 * </ul>
 *
 * <p>Files are memory-mapped one at a time. Memory: the entries of one data file at a time
 * (about 40 bytes each) for comparing with its hint.
 */
final class WalDirectoryCheck {
    private final Path dir;
    private final List<StorageDamage> damage = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long files;
    private long records;
    private long bytes;

    private WalDirectoryCheck(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks the engine directory {@code dir}, which no engine may have open.
     *
     * @throws IOException if {@code dir} is not a storage-wal directory (the message says what one
     *     holds) or a file cannot be read
     */
    static StorageCheckReport check(Path dir) throws IOException {
        WalDirectoryCheck check = new WalDirectoryCheck(dir);
        check.run();
        return new StorageCheckReport(dir, check.files, check.records, check.bytes, check.damage, check.notes);
    }

    private void run() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory");
        }
        TreeMap<Long, Path> segments = new TreeMap<>();
        TreeMap<Long, Path> merged = new TreeMap<>();
        TreeMap<Long, Path> hints = new TreeMap<>();
        List<Path> commits = new ArrayList<>();
        List<Path> logDirs = new ArrayList<>();
        int temporary = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                long id;
                if (Files.isDirectory(entry)) {
                    if (name.startsWith("log-")) {
                        logDirs.add(entry);
                    }
                } else if (name.endsWith(DataFile.TEMP_SUFFIX)) {
                    temporary++;
                } else if ((id = DataFile.parseId(name, DataFile.Kind.SEGMENT)) >= 0) {
                    segments.put(id, entry);
                } else if ((id = DataFile.parseId(name, DataFile.Kind.MERGED)) >= 0) {
                    merged.put(id, entry);
                } else if ((id = DataFile.parseNumber(name, HintFile.SUFFIX)) >= 0) {
                    hints.put(id, entry);
                } else if (DataFile.parseNumber(name, MergeCommit.SUFFIX) >= 0) {
                    commits.add(entry);
                }
            }
        }
        if (segments.isEmpty() && merged.isEmpty()) {
            throw new IOException(dir + " is not a storage-wal directory: it holds no log segment "
                    + "(<20 digits>.wal) and no merge output (<20 digits>.merged)");
        }
        if (temporary > 0) {
            notes.add(temporary + " unfinished temporary file(s) (*" + DataFile.TEMP_SUFFIX + ") in " + dir
                    + ", left by a merge, a hint or a prepared segment in progress; the next start removes them");
        }
        Set<String> retiring = checkCommits(commits);
        Map<Long, DataEntries> checked = new TreeMap<>();
        for (Map.Entry<Long, Path> file : merged.entrySet()) {
            if (!retiring.contains(file.getValue().getFileName().toString())) {
                checked.put(file.getKey(), checkDataFile(file.getValue(), SegmentReplay.Rules.MERGED, false, 0));
            }
        }
        long chain = 0;
        long last = segments.isEmpty() ? -1 : segments.lastKey();
        for (Map.Entry<Long, Path> file : segments.entrySet()) {
            if (!retiring.contains(file.getValue().getFileName().toString())) {
                DataEntries entries = checkDataFile(file.getValue(), SegmentReplay.Rules.SEGMENT,
                        file.getKey() == last, chain);
                chain = entries.lastWord;
                checked.put(file.getKey(), entries);
            }
        }
        for (Map.Entry<Long, Path> hint : hints.entrySet()) {
            if (retiring.contains(hint.getValue().getFileName().toString())) {
                continue;
            }
            DataEntries data = checked.get(hint.getKey());
            if (data == null) {
                notes.add("hint file " + hint.getValue() + " has no data file; the next start removes it");
            } else {
                checkHint(hint.getValue(), hint.getKey(), data);
            }
        }
        for (Path logDir : logDirs) {
            checkDurableLog(logDir);
        }
    }

    // ---------------------------------------------------------------- merge commits

    /** Checks each commit file; returns the names of the files good ones retire. */
    private Set<String> checkCommits(List<Path> commits) throws IOException {
        Set<String> retiring = new HashSet<>();
        for (Path commit : commits) {
            files++;
            bytes += Files.size(commit);
            try {
                MergeCommit.Contents contents = MergeCommit.read(commit);
                retiring.addAll(contents.inputs());
                notes.add("merge commit " + commit + " finishes at the next start: it installs "
                        + contents.outputs().size() + " merge output(s) and deletes " + contents.inputs().size()
                        + " merged-away file(s), which were not checked");
            } catch (IOException e) {
                damage.add(new StorageDamage(commit, 0, e.getMessage()));
            }
        }
        return retiring;
    }

    // ---------------------------------------------------------------- data files

    /** The entries of one data file's intact records, in file order, and what could not be read. */
    private static final class DataEntries {
        final Path file;
        final long size;
        long lastWord;
        int count;
        long[] offsets = new long[256];
        long[] sequences = new long[256];
        long[] keyHashes = new long[256];
        int[] lengths = new int[256];
        int[] checksums = new int[256];
        byte[] types = new byte[256];
        /** {@code [start, end)} byte ranges that are not intact records. */
        final List<long[]> unreadable = new ArrayList<>();

        DataEntries(Path file, long size) {
            this.file = file;
            this.size = size;
        }

        void add(long offset, int length, long sequence, byte type, int checksum, long keyHash) {
            if (count == offsets.length) {
                int grown = count * 2;
                offsets = Arrays.copyOf(offsets, grown);
                sequences = Arrays.copyOf(sequences, grown);
                keyHashes = Arrays.copyOf(keyHashes, grown);
                lengths = Arrays.copyOf(lengths, grown);
                checksums = Arrays.copyOf(checksums, grown);
                types = Arrays.copyOf(types, grown);
            }
            offsets[count] = offset;
            lengths[count] = length;
            sequences[count] = sequence;
            types[count] = type;
            checksums[count] = checksum;
            keyHashes[count] = keyHash;
            count++;
        }

        boolean unreadable(long offset) {
            for (long[] range : unreadable) {
                if (offset >= range[0] && offset < range[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Checks every record of a data or durable-log file; for write records, collects their
     * entries. {@code mayBeTorn}: the file was being appended to (its end may be a torn write).
     */
    private DataEntries checkDataFile(Path path, SegmentReplay.Rules rules, boolean mayBeTorn, long previousWord)
            throws IOException {
        files++;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            DataEntries entries = new DataEntries(path, size);
            entries.lastWord = previousWord;
            bytes += size;
            if (size > Integer.MAX_VALUE) {
                report(entries, 0, size, "the file is " + size + " bytes, larger than any file this engine writes");
                return entries;
            }
            if (size == 0) {
                if (rules == SegmentReplay.Rules.MERGED) {
                    report(entries, 0, 0, "a merge output is empty; it should hold at least its merge-info record");
                }
                return entries;
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try {
                scan(entries, rules, mayBeTorn, mapped, (int) size);
            } finally {
                IoUtil.unmap(mapped);
            }
            return entries;
        }
    }

    private void scan(DataEntries entries, SegmentReplay.Rules rules, boolean mayBeTorn, ByteBuffer mapped, int limit) {
        UnsafeBuffer view = new UnsafeBuffer(mapped);
        ByteBuffer checksumView = mapped.duplicate();
        CRC32C crc = new CRC32C();
        EntryChecksum checksum = new EntryChecksum();
        long word = entries.lastWord;
        int p = 0;
        while (p < limit) {
            String problem = SegmentReplay.damage(view, checksumView, crc, p, limit);
            if (problem != null) {
                if (mayBeTorn && rules == SegmentReplay.Rules.SEGMENT && SegmentReplay.allZero(view, p, limit)) {
                    break; // a prepared segment's zeros: the records end here, cleanly
                }
                long after = rules == SegmentReplay.Rules.MERGED ? 0 : word;
                int intact = SegmentReplay.findIntactRecord(view, checksumView, crc, p + 1, limit, rules.recordType,
                        after);
                if (intact < 0 && mayBeTorn) {
                    notes.add(entries.file + ": a write torn by a crash at byte offset " + p + " (" + (limit - p)
                            + " bytes: " + problem + "); it was never acknowledged, and the next start cuts it off");
                    break;
                }
                // Where the damaged record ends by its own length, if that looks right (a flipped bit in
                // the body leaves it intact): every damaged record is then reported, not only the first.
                int next = plausibleEnd(view, p, limit, rules.recordType);
                if (next < 0 || intact >= 0 && intact < next) {
                    next = intact;
                }
                report(entries, p, next < 0 ? limit : next, problem + (next < 0
                        ? "; no intact record follows: the " + (limit - p) + " bytes to the end of the file cannot be "
                        + "read as records (a node still serves the entries in them whose own checksum matches)"
                        : next == limit ? "" : "; the next record starts at byte offset " + next));
                if (next < 0 || next == limit) {
                    break;
                }
                if (rules == SegmentReplay.Rules.LOG) {
                    // Entries lost with the damaged records are counted there; go on from the next one.
                    word = view.getLong(next + WalRecordFormat.WORD_OFFSET, ByteOrder.BIG_ENDIAN) - 1;
                }
                p = next;
                continue;
            }
            int recordBytes = (int) WalRecordFormat.recordBytes(view.getInt(p, ByteOrder.BIG_ENDIAN));
            byte type = view.getByte(p + WalRecordFormat.TYPE_OFFSET);
            long recordWord = view.getLong(p + WalRecordFormat.WORD_OFFSET, ByteOrder.BIG_ENDIAN);
            records++;
            if (rules == SegmentReplay.Rules.MERGED && p == 0) {
                if (type != WalRecordFormat.TYPE_MERGE_INFO) {
                    report(entries, p, p + recordBytes, "a merge output does not start with its merge-info record");
                }
                p += recordBytes;
                continue;
            }
            String invalid = SegmentReplay.invalid(view, p, recordBytes, type, recordWord, rules, word);
            if (invalid != null) {
                report(entries, p, p + recordBytes, invalid + " (the record's checksum matches: it was written so)");
                p += recordBytes;
                continue;
            }
            word = rules == SegmentReplay.Rules.MERGED ? Math.max(word, recordWord) : recordWord;
            if (rules != SegmentReplay.Rules.LOG) {
                collectEntries(entries, view, p, recordBytes, recordWord, checksum);
            }
            p += recordBytes;
        }
        entries.lastWord = word;
    }

    /**
     * The end of the damaged record at {@code p} by its length field, if a record of the expected
     * type with a sane length starts there (or the file ends there); otherwise -1.
     */
    private static int plausibleEnd(UnsafeBuffer view, int p, int limit, byte type) {
        int length = view.getInt(p, ByteOrder.BIG_ENDIAN);
        if (length < WalRecordFormat.MIN_LENGTH || length > limit - p - WalRecordFormat.UNCOUNTED_BYTES) {
            return -1;
        }
        int end = p + (int) WalRecordFormat.recordBytes(length);
        if (end == limit) {
            return end;
        }
        if (limit - end < WalRecordFormat.HEADER_BYTES || view.getByte(end + WalRecordFormat.TYPE_OFFSET) != type) {
            return -1;
        }
        int nextLength = view.getInt(end, ByteOrder.BIG_ENDIAN);
        return nextLength >= WalRecordFormat.MIN_LENGTH && nextLength <= limit - end - WalRecordFormat.UNCOUNTED_BYTES
                ? end : -1;
    }

    private static void collectEntries(DataEntries entries, DirectBuffer view, int recordOffset, int recordBytes,
                                       long sequence, EntryChecksum checksum) {
        int end = recordOffset + recordBytes;
        int p = recordOffset + WalRecordFormat.BATCH_OFFSET;
        while (p < end) {
            byte type = view.getByte(p);
            int keyLength = view.getInt(p + 1, ByteOrder.BIG_ENDIAN);
            int entryLength = WalRecordFormat.ENTRY_HEADER_BYTES + keyLength + view.getInt(p + 5, ByteOrder.BIG_ENDIAN)
                    + view.getInt(p + 9, ByteOrder.BIG_ENDIAN);
            int entryChecksum = type == MutationType.PUT.code() ? checksum.of(view, p, entryLength) : 0;
            entries.add(p, entryLength, sequence, type, entryChecksum,
                    KeyHash.hash(view, p + WalRecordFormat.ENTRY_HEADER_BYTES, keyLength));
            p += entryLength;
        }
    }

    private void report(DataEntries entries, long from, long to, String problem) {
        entries.unreadable.add(new long[] {from, to});
        damage.add(new StorageDamage(entries.file, from, problem));
    }

    // ---------------------------------------------------------------- hints

    /** Compares a hint, entry by entry, with the entries found in its data file. */
    private void checkHint(Path hint, long dataFileId, DataEntries data) throws IOException {
        files++;
        bytes += Files.size(hint);
        HintComparison comparison = new HintComparison(data);
        HintFile.Framing framing;
        try {
            framing = HintFile.read(hint, dataFileId, data.size, comparison);
        } catch (IOException e) {
            damage.add(new StorageDamage(hint, 0, e.getMessage()));
            return;
        }
        if (framing.outdated()) {
            notes.add("hint file " + hint + ": " + framing.problem() + " after the next start replays "
                    + data.file);
            return;
        }
        if (framing.problem() != null) {
            damage.add(new StorageDamage(hint, framing.offset(), framing.problem() + ". Harmless to the data: a "
                    + "start ignores this hint and replays " + data.file + "; delete the hint to have a new one "
                    + "written"));
            return;
        }
        records += framing.header().entries();
        comparison.finish();
        if (comparison.mismatches > 0) {
            damage.add(new StorageDamage(hint, 0, "its checksums match but " + comparison.mismatches + " of its "
                    + "entries do not match " + data.file + " (first: " + comparison.first + "). A start would "
                    + "trust this hint: delete it before starting the node, so that the data file is replayed"));
        }
    }

    /** Walks a hint's entries and its data file's entries side by side, by offset. */
    private static final class HintComparison implements HintFile.EntrySink {
        private final DataEntries data;
        private int next;
        long mismatches;
        String first;

        HintComparison(DataEntries data) {
            this.data = data;
        }

        @Override
        public void accept(long sequence, long entryOffset, int entryLength, byte type, int checksum, DirectBuffer key,
                           int keyOffset, int keyLength) {
            while (next < data.count && data.offsets[next] < entryOffset) {
                mismatch("it lists no entry at byte offset " + data.offsets[next] + " of the data file");
                next++;
            }
            if (next < data.count && data.offsets[next] == entryOffset) {
                int i = next++;
                if (data.lengths[i] != entryLength || data.types[i] != type || data.sequences[i] != sequence
                        || data.checksums[i] != checksum
                        || data.keyHashes[i] != KeyHash.hash(key, keyOffset, keyLength)) {
                    mismatch("its entry for byte offset " + entryOffset + " of the data file differs in length, type, "
                            + "sequence number, key or checksum");
                }
            } else if (!data.unreadable(entryOffset)) {
                mismatch("it lists an entry at byte offset " + entryOffset + " where the data file has none");
            }
        }

        void finish() {
            for (; next < data.count; next++) {
                mismatch("it lists no entry at byte offset " + data.offsets[next] + " of the data file");
            }
        }

        private void mismatch(String what) {
            if (mismatches++ == 0) {
                first = what;
            }
        }
    }

    // ---------------------------------------------------------------- durable logs

    private void checkDurableLog(Path logDir) throws IOException {
        Path firstIndexFile = logDir.resolve(DurableLogFiles.FIRST_INDEX_FILE);
        long persistedFirst = 0;
        if (Files.exists(firstIndexFile)) {
            files++;
            bytes += Files.size(firstIndexFile);
            try {
                persistedFirst = DurableLogFiles.readFirstIndex(firstIndexFile);
            } catch (IOException e) {
                damage.add(new StorageDamage(firstIndexFile, 0, e.getMessage()));
            }
        }
        TreeMap<Long, Path> segments = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(logDir)) {
            for (Path entry : entries) {
                long first = DataFile.parseId(entry.getFileName().toString(), DataFile.Kind.LOG);
                if (first >= 1 && Files.isRegularFile(entry)) {
                    segments.put(first, entry);
                }
            }
        }
        long previousLast = -1;
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            long first = segment.getKey();
            DataEntries checked = checkDataFile(segment.getValue(), SegmentReplay.Rules.LOG,
                    first == segments.lastKey(), first - 1);
            if (previousLast >= 0 && previousLast + 1 != first && first > persistedFirst) {
                damage.add(new StorageDamage(segment.getValue(), 0, "the durable log has a gap: the previous segment "
                        + "ends at index " + previousLast + " but this one starts at " + first));
            }
            previousLast = checked.lastWord;
        }
    }
}
