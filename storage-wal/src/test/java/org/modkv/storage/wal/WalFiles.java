package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers that look at and damage segment files directly. */
final class WalFiles {
    private WalFiles() {
    }

    /** Files of {@code dir} with {@code suffix}, by name. */
    static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** Segment files of {@code dir} in log order. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> DataFile.parseId(p.getFileName().toString(), DataFile.Kind.SEGMENT) >= 0).sorted().toList();
        }
    }

    static Path lastSegment(Path dir) throws IOException {
        List<Path> all = segments(dir);
        return all.get(all.size() - 1);
    }

    /** Byte offsets at which the records of an undamaged segment start. */
    static List<Long> recordOffsets(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> offsets = new ArrayList<>();
        int p = 0;
        while (p < bytes.limit()) {
            if (zerosFrom(bytes, p)) {
                break; // a prepared segment's zeros follow its records
            }
            offsets.add((long) p);
            p += (int) WalRecordFormat.recordBytes(bytes.getInt(p));
        }
        if (p != bytes.limit() && !zerosFrom(bytes, p)) {
            throw new IllegalStateException(segment + " does not end on a record boundary");
        }
        return offsets;
    }

    private static boolean zerosFrom(ByteBuffer bytes, int from) {
        for (int i = from; i < bytes.limit(); i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    static void flipBit(Path file, long offset, int bit) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= (byte) (1 << bit);
        Files.write(file, bytes);
    }

    static void truncate(Path file, long size) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Copies the regular files of {@code from} into a new directory {@code to}. */
    static Path copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
