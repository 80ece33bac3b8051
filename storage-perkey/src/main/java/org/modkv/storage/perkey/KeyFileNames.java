package org.modkv.storage.perkey;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * How a key (any bytes) becomes a path under {@code keys/}, and back. Part of the on-disk
 * format: changing anything here makes existing data directories unreadable.
 *
 * <p><b>Fan-out.</b> {@code levels} directories of two lower-case hex digits each, taken from
 * the high bytes of {@code fmix32(CRC32C(key))}: with the default two levels a key lives in
 * one of 65,536 leaf directories, e.g. {@code keys/3f/a2/user%3a42.kv}.
 *
 * <p><b>File name.</b> The key, escaped, plus {@code .kv}. Bytes {@code a-z 0-9 - _} stand for
 * themselves; every other byte is {@code %} and two lower-case hex digits ({@code A} is
 * {@code %41}, {@code /} is {@code %2f}, {@code .} is {@code %2e}, NUL is {@code %00}, UTF-8
 * {@code é} is {@code %c3%a9}). Names therefore hold only lower-case ASCII letters, digits,
 * {@code - _ %} and the one dot of the suffix: safe for every shell and tool, the same on
 * case-insensitive file systems, never {@code .} or {@code ..}, never a path separator, and
 * text keys stay readable. The empty key is the body {@code %} (a lone percent sign cannot
 * occur otherwise). The mapping is one-to-one: decoding accepts only the canonical form.
 *
 * <p><b>Long keys.</b> A name must fit the 255-byte limit of common file systems, with room
 * for the {@code .tmp} suffix of its temporary file. When the escaped key passes
 * {@value #MAX_PLAIN_BODY} characters the body is instead a readable escaped prefix of at most
 * {@value #HASHED_PREFIX_MAX} characters, {@code ~}, and the SHA-256 of the whole key in hex
 * (e.g. {@code aaaa...aaa~9f86d0...15a08.kv}). Such a name is not reversible by itself: the
 * full key is in the file's header (every key file carries its key, see
 * {@link KeyFileFormat}), and a read checks it. Splitting long keys into nested directories
 * was rejected because a 10 KiB key escapes to 30 KiB and passes the 4 KiB path limit.
 */
final class KeyFileNames {
    /** Suffix of a key file. */
    static final String KEY_SUFFIX = ".kv";
    /** Suffix of a file being written; left-over ones are removed at start-up. */
    static final String TEMP_SUFFIX = ".tmp";
    /** Longest escaped key that is used as the file name as it is. */
    static final int MAX_PLAIN_BODY = 200;
    /** Longest readable prefix kept in front of the hash of a long key. */
    static final int HASHED_PREFIX_MAX = 120;
    /** Most fan-out levels (the hash has four bytes, one is kept spare). */
    static final int MAX_LEVELS = 3;

    private static final char ESCAPE = '%';
    private static final char HASH_MARK = '~';
    private static final String EMPTY_KEY_BODY = "%";
    private static final HexFormat HEX = HexFormat.of();

    private KeyFileNames() {
    }

    /** The file name of {@code key}: escaped body plus {@code .kv}; at most 255 bytes with {@code .tmp}. */
    static String fileName(byte[] key) {
        return body(key) + KEY_SUFFIX;
    }

    /**
     * The key a file name stands for, or empty if the name is a hashed long-key name (then the
     * key is only in the file's header).
     *
     * @throws IllegalArgumentException if {@code fileName} is not a canonical key file name
     */
    static Optional<byte[]> decode(String fileName) {
        if (!fileName.endsWith(KEY_SUFFIX)) {
            throw new IllegalArgumentException("'" + fileName + "' does not end in " + KEY_SUFFIX);
        }
        String body = fileName.substring(0, fileName.length() - KEY_SUFFIX.length());
        if (body.indexOf(HASH_MARK) >= 0) {
            checkHashedBody(fileName, body);
            return Optional.empty();
        }
        byte[] key = unescape(fileName, body);
        if (!body(key).equals(body)) {
            throw new IllegalArgumentException("'" + fileName + "' is not in canonical form; the key it spells is named '"
                    + fileName(key) + "'");
        }
        return Optional.of(key);
    }

    /** Whether {@code fileName} is a hashed long-key name. */
    static boolean isHashed(String fileName) {
        return fileName.indexOf(HASH_MARK) >= 0;
    }

    /** The fan-out hash of a key: {@code fmix32(CRC32C(key))}. */
    static int fanoutHash(byte[] key) {
        CRC32C crc = new CRC32C();
        crc.update(key, 0, key.length);
        int h = (int) crc.getValue();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** The name of the fan-out directory at {@code level} (0 = top) for {@code hash}. */
    static String fanoutDirectory(int hash, int level) {
        return HEX.toHexDigits((byte) (hash >>> (24 - 8 * level)));
    }

    private static String body(byte[] key) {
        if (key.length == 0) {
            return EMPTY_KEY_BODY;
        }
        StringBuilder out = new StringBuilder(Math.min(key.length * 3, MAX_PLAIN_BODY + 3));
        for (byte b : key) {
            appendEscaped(out, b);
            if (out.length() > MAX_PLAIN_BODY) {
                return hashedBody(key);
            }
        }
        return out.toString();
    }

    private static String hashedBody(byte[] key) {
        StringBuilder out = new StringBuilder(HASHED_PREFIX_MAX + 1 + 64);
        for (byte b : key) {
            int before = out.length();
            appendEscaped(out, b);
            if (out.length() > HASHED_PREFIX_MAX) {
                out.setLength(before);
                break;
            }
        }
        return out.append(HASH_MARK).append(HEX.formatHex(sha256(key))).toString();
    }

    private static void appendEscaped(StringBuilder out, byte b) {
        if (isPlain(b)) {
            out.append((char) b);
        } else {
            out.append(ESCAPE).append(HEX.toHexDigits(b));
        }
    }

    private static boolean isPlain(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_';
    }

    private static byte[] unescape(String fileName, String body) {
        if (body.equals(EMPTY_KEY_BODY)) {
            return new byte[0];
        }
        if (body.isEmpty()) {
            throw new IllegalArgumentException("'" + fileName + "' has an empty name before " + KEY_SUFFIX);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == ESCAPE) {
                out.write(parseHexByte(fileName, body, i + 1));
                i += 2;
            } else if (c < 128 && isPlain((byte) c)) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("'" + fileName + "' has the character '" + c + "' at " + i
                        + "; key file names hold only a-z 0-9 - _ and %-escapes");
            }
        }
        return out.toByteArray();
    }

    private static int parseHexByte(String fileName, String body, int at) {
        if (at + 2 > body.length()) {
            throw new IllegalArgumentException("'" + fileName + "' has an incomplete %-escape at character " + (at - 1));
        }
        int high = Character.digit(body.charAt(at), 16);
        int low = Character.digit(body.charAt(at + 1), 16);
        if (high < 0 || low < 0) {
            throw new IllegalArgumentException("'" + fileName + "' has a bad %-escape at character " + (at - 1));
        }
        return (high << 4) | low;
    }

    private static void checkHashedBody(String fileName, String body) {
        int mark = body.indexOf(HASH_MARK);
        String hash = body.substring(mark + 1);
        boolean hexHash = hash.length() == 64 && hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        if (mark == 0 || mark != body.lastIndexOf(HASH_MARK) || !hexHash) {
            throw new IllegalArgumentException("'" + fileName + "' is not a long-key name (escaped prefix, ~, 64 hex digits)");
        }
        unescape(fileName, body.substring(0, mark));
    }

    private static byte[] sha256(byte[] key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
