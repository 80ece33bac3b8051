package org.modkv.distribution.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.commands.TcpCliFixture.Run;

/**
 * {@code modkv search} and {@code modkv find-value} in-process against a tcp transport over
 * testkit's in-memory kernel (its word index stands in for the fulltext plugin): what they
 * send, what they print, their exit statuses (docs/design/search-commands.md).
 */
class SearchCliTest extends CliTestBase {
    @BeforeEach
    void fill() {
        KERNEL.clear();
        KERNEL.put(bytes("a"), bytes("red fox")).join();
        KERNEL.put(bytes("b"), bytes("red dog")).join();
        KERNEL.put(bytes("c"), bytes("red hen")).join();
        KERNEL.put(bytes("same1"), bytes("alice")).join();
        KERNEL.put(bytes("same2"), bytes("alice")).join();
    }

    private static Run modkv(String... args) {
        return cli.modkv(args);
    }

    @Test
    void searchPrintsKeysOnStdoutAndTheNumberOfHitsOnStderr() {
        Run run = modkv("search", "red", "fox");
        assertEquals(new Run(ExitStatus.OK, lines("a"), lines("(1 hit)")), run);
        assertEquals(new IndexQuery("search", List.of("red fox"), Map.of("mode", "all")), KERNEL.lastQuery());
        assertEquals(Freshness.FRESH, KERNEL.lastFreshness());

        run = modkv("search", "--any", "--scores", "red", "fox");
        assertEquals(new Run(ExitStatus.OK, lines("a\t1.0000", "b\t1.0000", "c\t1.0000"), lines("(3 hits)")), run);
    }

    @Test
    void queryWordsMayStartWithADashForExclusions() {
        Run run = modkv("search", "red", "-dog");
        assertEquals(ExitStatus.OK, run.status(), run.err());
        assertEquals(List.of("red -dog"), KERNEL.lastQuery().arguments());
        Run typo = modkv("search", "--limt", "5", "red");
        assertEquals(ExitStatus.ERROR, typo.status());
        assertTrue(typo.err().contains("unknown option '--limt'; search takes --any, --offset N, --limit N, --stale "
                + "and --scores"), typo.err());
    }

    @Test
    void offsetLimitAndStaleReachTheIndexAndThePageIsNamed() {
        Run run = modkv("search", "--offset", "1", "--limit", "1", "--stale", "red");
        assertEquals(new Run(ExitStatus.OK, lines("b"), lines("(3 hits; showing 2-2)")), run);
        assertEquals(Map.of("mode", "all", "offset", "1", "limit", "1"), KERNEL.lastQuery().options());
        assertEquals(Freshness.STALE, KERNEL.lastFreshness());
        assertEquals(new Run(ExitStatus.OK, "", lines("(3 hits; none from offset 9)")),
                modkv("search", "--offset", "9", "red"));
    }

    @Test
    void noMatchIsSuccessWithARemark() {
        assertEquals(new Run(ExitStatus.OK, "", lines("(no matches)")), modkv("search", "cat"));
        assertEquals(new Run(ExitStatus.OK, "", lines("(no matches)")), modkv("find-value", "nobody"));
    }

    @Test
    void badOptionsAreUsageErrorsBeforeConnectingAndIndexErrorsExit2() {
        Run negative = modkv("search", "--limit", "-1", "red");
        assertEquals(ExitStatus.ERROR, negative.status());
        assertTrue(negative.err().contains("--limit must be 1 or more, was -1"), negative.err());
        Run notANumber = modkv("find-value", "--offset", "x", "v");
        assertEquals(ExitStatus.ERROR, notANumber.status());
        assertTrue(notANumber.err().contains("--offset"), notANumber.err());
        Run both = modkv("find-value", "--file", "f", "v");
        assertEquals(ExitStatus.ERROR, both.status());
        assertTrue(both.err().contains("find-value takes VALUE or --file PATH, not both"), both.err());
        Run neither = modkv("find-value");
        assertEquals(ExitStatus.ERROR, neither.status());
        assertTrue(neither.err().contains("find-value needs VALUE, or --file PATH for a value in a file (- for stdin)"),
                neither.err());

        KERNEL.failNext(ErrorCode.INDEX_NOT_READY, "index fulltext is catching up; retry, or ask with --stale");
        Run notReady = modkv("search", "red");
        assertEquals(new Run(ExitStatus.ERROR, "", lines("modkv: index fulltext is catching up; retry, or ask with --stale")),
                notReady);
    }

    @Test
    void findValueTakesTextOrAnyBytesFromAFileOrStdin(@TempDir Path dir) throws Exception {
        assertEquals(new Run(ExitStatus.OK, lines("same1", "same2"), lines("(2 hits)")), modkv("find-value", "alice"));
        assertEquals(new Run(ExitStatus.OK, lines("same2"), lines("(2 hits; showing 2-2)")),
                modkv("find-value", "--offset", "1", "--stale", "alice"));
        assertEquals(Freshness.STALE, KERNEL.lastFreshness());

        byte[] binary = {0, (byte) 0xff, (byte) 0xc3, 10, 13};
        KERNEL.put(bytes("bin"), binary).join();
        Path file = Files.write(dir.resolve("value.bin"), binary);
        assertEquals(new Run(ExitStatus.OK, lines("bin"), lines("(1 hit)")), modkv("find-value", "--file", file.toString()));
        assertArrayEquals(binary, KERNEL.lastQuery().arguments().get(0).getBytes(StandardCharsets.ISO_8859_1));

        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(binary));
        try {
            assertEquals(new Run(ExitStatus.OK, lines("bin"), lines("(1 hit)")), modkv("find-value", "--file", "-"));
        } finally {
            System.setIn(stdin);
        }
        Run missing = modkv("find-value", "--file", dir.resolve("absent").toString());
        assertEquals(ExitStatus.ERROR, missing.status());
        assertTrue(missing.err().startsWith("modkv: cannot read the value from "), missing.err());
    }

    private static String lines(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append(System.lineSeparator());
        }
        return text.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
