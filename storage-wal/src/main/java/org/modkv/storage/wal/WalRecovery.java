package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Opens a log directory: replays every segment in order into the key directory, cuts a torn
 * tail off the last segment, refuses corruption, and creates the first segment of a new log.
 */
final class WalRecovery {
    private static final System.Logger LOG = System.getLogger(WalRecovery.class.getName());

    private WalRecovery() {
    }

    /**
     * @throws IOException if a segment cannot be read or is corrupt (the message names the
     *     file and the byte offset)
     */
    static WalLog recover(Path dir, WalOptions options, ChannelOpener opener, KeyDirectory directory)
            throws IOException {
        Files.createDirectories(dir);
        TreeMap<Long, Path> files = segmentFiles(dir);
        List<WalSegment> segments = new ArrayList<>();
        try {
            long sequence = 0;
            int remaining = files.size();
            for (Map.Entry<Long, Path> file : files.entrySet()) {
                boolean last = --remaining == 0;
                WalSegment segment = WalSegment.openExisting(file.getValue(), file.getKey(), opener);
                segments.add(segment);
                SegmentReplay.Outcome outcome = SegmentReplay.replay(segment, last, sequence, directory::apply);
                if (outcome.torn()) {
                    long fileBytes = segment.channel().size();
                    segment.truncate(outcome.validBytes());
                    LOG.log(System.Logger.Level.WARNING, "write-ahead log " + segment.path() + ": torn tail at "
                            + "byte offset " + outcome.validBytes() + " (" + outcome.tornReason() + "); dropped "
                            + (fileBytes - outcome.validBytes()) + " bytes of a write that was in progress when the "
                            + "node stopped");
                } else {
                    segment.recovered(outcome.validBytes());
                }
                sequence = outcome.lastSequence();
                if (!last) {
                    segment.seal();
                }
            }
            if (segments.isEmpty()) {
                segments.add(WalSegment.create(dir, 1, opener));
                WalLog.syncDirectory(dir);
            }
            return new WalLog(dir, options.segmentBytes(), opener, segments, sequence);
        } catch (IOException | RuntimeException e) {
            for (WalSegment segment : segments) {
                try {
                    segment.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private static TreeMap<Long, Path> segmentFiles(Path dir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                OptionalLong id = WalSegment.parseId(entry.getFileName().toString());
                if (id.isPresent() && Files.isRegularFile(entry)) {
                    files.put(id.getAsLong(), entry);
                }
            }
        }
        return files;
    }
}
