package org.modkv.storage.perkey;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.StoredRecord;

/**
 * The layout of one key file: a fixed header, then key, metadata and value.
 *
 * <pre>
 *   offset  size  field
 *        0     4  magic "MKVK"
 *        4     1  format version (1)
 *        5     3  reserved, zero
 *        8     8  sequence number of the batch that wrote the file
 *       16     4  key length
 *       20     4  metadata length
 *       24     4  value length
 *       28     4  CRC32C of the value
 *       32     4  CRC32C of bytes 0..31, the key and the metadata
 *       36        key, metadata, value
 * </pre>
 * (big-endian). A file is self-describing: the key is in it, so a hashed long-key name (see
 * {@link KeyFileNames}) loses nothing. Two checksums, so start-up can check the header, key
 * and metadata of every file without reading the values, and a read checks the value. A
 * file whose size disagrees with its lengths is torn.
 */
final class KeyFileFormat {
    static final int MAGIC = 0x4d4b564b;
    static final byte VERSION = 1;
    static final int HEADER_BYTES = 36;

    private static final int SEQUENCE = 8;
    private static final int KEY_LENGTH = 16;
    private static final int METADATA_LENGTH = 20;
    private static final int VALUE_LENGTH = 24;
    private static final int VALUE_CRC = 28;
    private static final int HEADER_CRC = 32;

    private KeyFileFormat() {
    }

    /** What a key file says about itself, without its value. */
    record Header(long sequence, byte[] key, byte[] metadata, int valueLength, int valueCrc) {
        long valueOffset() {
            return (long) HEADER_BYTES + key.length + metadata.length;
        }

        long fileBytes() {
            return valueOffset() + valueLength;
        }
    }

    /** The whole file for a put, ready for one gathering write. */
    static ByteBuffer[] encode(long sequence, byte[] key, byte[] metadata, byte[] value) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).put(VERSION).put((byte) 0).putShort((short) 0)
                .putLong(sequence).putInt(key.length).putInt(metadata.length).putInt(value.length)
                .putInt(crc(value));
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, HEADER_CRC);
        crc.update(key);
        crc.update(metadata);
        header.putInt((int) crc.getValue()).flip();
        return new ByteBuffer[] {header, ByteBuffer.wrap(key), ByteBuffer.wrap(metadata), ByteBuffer.wrap(value)};
    }

    /**
     * Reads and checks the header, key and metadata of the file open on {@code channel}.
     *
     * @throws IOException naming {@code path} and the byte offset if the file is torn or corrupt
     */
    static Header readHeader(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < HEADER_BYTES) {
            throw corrupt(path, 0, "the file has " + size + " bytes, fewer than the " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer header = readFully(path, channel, 0, HEADER_BYTES);
        if (header.getInt(0) != MAGIC) {
            throw corrupt(path, 0, "bad magic number; this is not a modkv key file");
        }
        if (header.get(4) != VERSION) {
            throw corrupt(path, 4, "unknown key file format version " + header.get(4) + "; this build reads version " + VERSION);
        }
        int keyLength = header.getInt(KEY_LENGTH);
        int metadataLength = header.getInt(METADATA_LENGTH);
        int valueLength = header.getInt(VALUE_LENGTH);
        if (keyLength < 0 || metadataLength < 0 || valueLength < 0) {
            throw corrupt(path, KEY_LENGTH, "negative length in the header");
        }
        long expected = (long) HEADER_BYTES + keyLength + metadataLength + valueLength;
        if (expected != size) {
            throw corrupt(path, KEY_LENGTH, "the header describes " + expected + " bytes but the file has " + size
                    + " (torn or truncated)");
        }
        ByteBuffer keyAndMetadata = readFully(path, channel, HEADER_BYTES, keyLength + metadataLength);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, HEADER_CRC);
        crc.update(keyAndMetadata.array());
        if ((int) crc.getValue() != header.getInt(HEADER_CRC)) {
            throw corrupt(path, HEADER_CRC, "header checksum mismatch (header, key or metadata damaged)");
        }
        byte[] key = new byte[keyLength];
        byte[] metadata = new byte[metadataLength];
        keyAndMetadata.get(key).get(metadata);
        return new Header(header.getLong(SEQUENCE), key, metadata, valueLength, header.getInt(VALUE_CRC));
    }

    /**
     * Reads and checks the whole file open on {@code channel}.
     *
     * @throws IOException naming {@code path} and the byte offset if the file is torn or corrupt
     */
    static StoredRecord read(Path path, FileChannel channel) throws IOException {
        Header header = readHeader(path, channel);
        byte[] value = readFully(path, channel, header.valueOffset(), header.valueLength()).array();
        if (crc(value) != header.valueCrc()) {
            throw corrupt(path, header.valueOffset(), "value checksum mismatch (value damaged)");
        }
        return new StoredRecord(header.key(), value, header.metadata());
    }

    static CorruptDataException corrupt(Path path, long offset, String reason) {
        return new CorruptDataException(path, offset, "corrupt key file " + path + " at byte offset " + offset + ": "
                + reason + ". Restore the file from a backup or delete it (the key is then lost); the engine will not "
                + "guess");
    }

    private static ByteBuffer readFully(Path path, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("key file " + path + " ended at byte offset " + (position + buffer.position())
                        + " while reading " + length + " bytes");
            }
        }
        return buffer.flip();
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
