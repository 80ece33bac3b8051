package org.modkv.storage.perkey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyFileNamesTest {
    private static final int NAME_LIMIT_BYTES = 255;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The name is safe, fits the limit with the temp suffix, and decodes back to the key. */
    private static String assertRoundTrip(byte[] key) {
        String name = KeyFileNames.fileName(key);
        assertSafe(name);
        assertArrayEquals(key, KeyFileNames.decode(name).orElseThrow(), "decoding " + name);
        return name;
    }

    private static void assertSafe(String name) {
        String temp = name + KeyFileNames.TEMP_SUFFIX;
        assertTrue(temp.getBytes(StandardCharsets.UTF_8).length <= NAME_LIMIT_BYTES, name.length() + " chars: " + name);
        assertTrue(name.matches("[a-z0-9_%~-]+\\.kv"), "only a-z 0-9 _ % ~ - and the suffix: " + name);
        assertFalse(name.equals(".kv"), "never an empty name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "..", ".", "a/../b", "//", "a//b", "user:42", "UPPER lower", "%", "%41", "~", "x.kv",
        "x.kv.tmp", "-rf", "naïve", "日本語のキー", "emoji 🙂", "tab\there", "line\nbreak", "back\\slash", "con", "nul"})
    void roundTripsAwkwardTextKeys(String key) {
        String name = assertRoundTrip(utf8(key));

        assertFalse(name.contains("/"), name);
        assertFalse(name.startsWith("."), name);
    }

    @Test
    void keepsPlainKeysReadableAndEscapesEverythingElseInLowerCaseHex() {
        assertEquals("user-42_a.kv", KeyFileNames.fileName(utf8("user-42_a")));
        assertEquals("user%3a42%2fprofile.kv", KeyFileNames.fileName(utf8("user:42/profile")));
        assertEquals("%2e%2e.kv", KeyFileNames.fileName(utf8("..")));
        assertEquals("%41bc.kv", KeyFileNames.fileName(utf8("Abc")), "upper case is escaped: case-insensitive file systems");
        assertEquals("na%c3%afve.kv", KeyFileNames.fileName(utf8("naïve")));
        assertEquals("%00.kv", KeyFileNames.fileName(new byte[] {0}));
    }

    @Test
    void emptyKeyHasItsOwnVisibleName() {
        assertEquals("%.kv", KeyFileNames.fileName(new byte[0]));
        assertArrayEquals(new byte[0], KeyFileNames.decode("%.kv").orElseThrow());
    }

    @Test
    void everySingleByteKeyRoundTripsToADistinctName() {
        Set<String> names = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            names.add(assertRoundTrip(new byte[] {(byte) b}));
        }
        assertEquals(256, names.size());
    }

    @Test
    void zeroBytesAndInvalidUtf8RoundTrip() {
        assertRoundTrip(new byte[] {0, 0, 0});
        assertRoundTrip(new byte[] {(byte) 0xC3, 0x28});
        assertRoundTrip(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, (byte) 0x80});
        assertNotEquals(KeyFileNames.fileName(new byte[] {0}), KeyFileNames.fileName(new byte[] {0, 0}));
    }

    @Test
    void randomKeysUpToTheReversibleLengthRoundTrip() {
        Random random = new Random(20_240_601);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] key = new byte[random.nextInt(67)];
            random.nextBytes(key);
            String name = assertRoundTrip(key);
            names.add(HexFormat.of().formatHex(key) + " " + name);
        }
        assertEquals(names.stream().map(s -> s.split(" ")[0]).distinct().count(),
                names.stream().map(s -> s.split(" ")[1]).distinct().count(), "distinct keys, distinct names");
    }

    @Test
    void longKeysGetAHashedNameThatFitsAndKeepsAReadablePrefix() {
        byte[] tenKiB = new byte[10 * 1024];
        Arrays.fill(tenKiB, (byte) 'k');
        byte[] sameButLastByte = tenKiB.clone();
        sameButLastByte[sameButLastByte.length - 1] = 'j';

        String name = KeyFileNames.fileName(tenKiB);

        assertSafe(name);
        assertTrue(KeyFileNames.isHashed(name), name);
        assertTrue(name.startsWith("kkkkkkkkkk"), "readable prefix: " + name);
        assertEquals(Optional.empty(), KeyFileNames.decode(name), "the key itself is in the file header");
        assertEquals(name, KeyFileNames.fileName(tenKiB.clone()), "deterministic");
        assertNotEquals(name, KeyFileNames.fileName(sameButLastByte), "the hash covers the whole key");
    }

    @Test
    void randomLongKeysFitTheNameLimit() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[60 + random.nextInt(12_000)];
            random.nextBytes(key);
            String name = KeyFileNames.fileName(key);
            assertSafe(name);
            if (!KeyFileNames.isHashed(name)) {
                assertArrayEquals(key, KeyFileNames.decode(name).orElseThrow());
            }
        }
    }

    @Test
    void theLongestPlainNameAndTheShortestHashedOneMeetAtTheLimit() {
        byte[] plain = new byte[KeyFileNames.MAX_PLAIN_BODY];
        Arrays.fill(plain, (byte) 'a');
        byte[] hashed = Arrays.copyOf(plain, plain.length + 1);
        hashed[plain.length] = 'a';

        assertFalse(KeyFileNames.isHashed(assertRoundTrip(plain)));
        assertTrue(KeyFileNames.isHashed(KeyFileNames.fileName(hashed)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%61.kv", "%2F.kv", "A.kv", "a.b.kv", "%4.kv", "%zz.kv", ".kv", "abc", "abc.kv.tmp",
        "a~123.kv", "~" + "0000000000000000000000000000000000000000000000000000000000000000.kv"})
    void rejectsNamesThatNoKeyProduces(String name) {
        assertThrows(IllegalArgumentException.class, () -> KeyFileNames.decode(name));
    }

    @Test
    void fanOutDirectoriesAreTwoHexDigitsAndSpreadKeys() {
        int[] perTopDirectory = new int[256];
        for (int i = 0; i < 25_600; i++) {
            int hash = KeyFileNames.fanoutHash(utf8("key-" + i));
            for (int level = 0; level < KeyFileNames.MAX_LEVELS; level++) {
                assertTrue(KeyFileNames.fanoutDirectory(hash, level).matches("[0-9a-f]{2}"));
            }
            perTopDirectory[Integer.parseInt(KeyFileNames.fanoutDirectory(hash, 0), 16)]++;
        }
        for (int count : perTopDirectory) {
            assertTrue(count > 50 && count < 200, "about 100 keys each; got " + Arrays.toString(perTopDirectory));
        }
    }

    @Test
    void fanOutDependsOnTheKeyOnly() {
        List<byte[]> keys = List.of(new byte[0], utf8("a"), utf8("user:42"));
        for (byte[] key : keys) {
            assertEquals(KeyFileNames.fanoutHash(key), KeyFileNames.fanoutHash(key.clone()));
        }
    }
}
