package org.modkv.transport.resp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.kv.KeyEntry;
import org.modkv.api.kv.KeyPage;
import org.modkv.api.kv.KeyRange;
import org.modkv.api.transport.RequestHandler;

/**
 * {@code SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]} and {@code KEYS pattern} over the
 * kernel's ordered range reads (docs/design/kv-api.md).
 *
 * <p>The cursor is the key the next page starts from, written as a decimal integer (so that
 * clients that parse it as a number, such as redis-py, work): the unsigned big-endian number of
 * a 0x01 byte followed by the key. {@code 0} starts and ends a pass. Because the cursor is a key
 * in order, SCAN gives Redis' guarantees and more: every key present for the whole pass is
 * returned, and no key is returned twice in one pass. COUNT is the number of keys examined per
 * call (default 10), so with MATCH a page may hold fewer keys, or none, before the pass ends.
 * A MATCH pattern that starts with literal characters only visits keys with that prefix.
 *
 * <p>KEYS walks every key (page by page, without blocking the connection's event loop) and
 * answers all that match in one reply: as in Redis, it is expensive on a large key space and
 * meant for debugging; use SCAN in programs. FLUSHALL and FLUSHDB delete every key.
 */
final class ListingCommands {
    private static final int DEFAULT_COUNT = 10;
    private static final byte CURSOR_MARK = 1;

    private final RequestHandler kernel;

    ListingCommands(RequestHandler kernel) {
        this.kernel = kernel;
    }

    List<CommandSpec> specs() {
        return List.of(
                CommandSpec.keyless("scan", -2, List.of("readonly"), this::scan),
                CommandSpec.keyless("keys", 2, List.of("readonly"), this::keys),
                CommandSpec.keyless("flushall", -1, List.of("write"), this::flush),
                CommandSpec.keyless("flushdb", -1, List.of("write"), this::flush));
    }

    private CompletableFuture<RespReply> scan(RespRequest request, ClientSession session) {
        byte[] start = decodeCursor(request.arg(1));
        String pattern = null;
        long count = DEFAULT_COUNT;
        boolean onlyStrings = true;
        for (int i = 2; i < request.size(); i += 2) {
            String option = request.keyword(i).toUpperCase(Locale.ROOT);
            if (i + 1 >= request.size()) {
                throw new CommandRefused("ERR syntax error: " + option + " needs a value");
            }
            switch (option) {
                case "MATCH" -> pattern = latin1(request.arg(i + 1));
                case "COUNT" -> {
                    count = SetOptions.integer(request.arg(i + 1));
                    if (count < 1) {
                        throw new CommandRefused("ERR syntax error: COUNT must be at least 1");
                    }
                }
                case "TYPE" -> onlyStrings = latin1(request.arg(i + 1)).equalsIgnoreCase("string");
                default -> throw new CommandRefused("ERR syntax error: '" + RespErrors.printable(request.arg(i), 64)
                        + "' is not a SCAN option; allowed: MATCH, COUNT, TYPE");
            }
        }
        if (!onlyStrings) { // modkv keeps strings only
            return CompletableFuture.completedFuture(scanReply(null, List.of()));
        }
        KeyRange range = rangeFor(start, pattern, (int) Math.min(count, kernel.limits().maxBatchEntries()));
        if (range == null) {
            return CompletableFuture.completedFuture(scanReply(null, List.of()));
        }
        String match = pattern;
        return kernel.range(range).thenApply(page -> scanReply(page.next(), matching(page, match)));
    }

    private CompletableFuture<RespReply> keys(RespRequest request, ClientSession session) {
        String pattern = latin1(request.arg(1));
        KeyRange range = rangeFor(new byte[0], pattern, kernel.limits().maxBatchEntries());
        if (range == null) {
            return CompletableFuture.completedFuture(RespReply.array(List.of()));
        }
        List<RespReply> keys = new ArrayList<>();
        return allPages(range, pattern, keys).thenApply(ignored -> RespReply.array(keys));
    }

    private CompletableFuture<Void> allPages(KeyRange range, String pattern, List<RespReply> keys) {
        return kernel.range(range).thenCompose(page -> {
            keys.addAll(matching(page, pattern));
            return page.more() ? allPages(range.from(page.next()), pattern, keys) : CompletableFuture.completedFuture(null);
        });
    }

    /**
     * {@code FLUSHALL [ASYNC|SYNC]} and {@code FLUSHDB} (modkv has one database): deletes every
     * key, page by page, and answers OK once done (ASYNC is accepted and runs the same way).
     */
    private CompletableFuture<RespReply> flush(RespRequest request, ClientSession session) {
        if (request.size() > 2 || request.size() == 2 && !List.of("ASYNC", "SYNC")
                .contains(request.keyword(1).toUpperCase(Locale.ROOT))) {
            throw new CommandRefused("ERR syntax error: " + request.name() + " takes ASYNC or SYNC only");
        }
        return kernel.deleteAll().thenApply(deleted -> RespReply.OK);
    }

    /**
     * The range a pass with {@code pattern} reads from {@code start}: narrowed to the pattern's
     * literal prefix; null when the start is already past it.
     */
    private static KeyRange rangeFor(byte[] start, String pattern, int limit) {
        byte[] prefix = pattern == null ? new byte[0] : literalPrefix(pattern).getBytes(StandardCharsets.ISO_8859_1);
        byte[] end = KeyRange.prefixEnd(prefix);
        byte[] from = Arrays.compareUnsigned(start, prefix) > 0 ? start : prefix;
        if (end.length > 0 && Arrays.compareUnsigned(from, end) >= 0) {
            return null;
        }
        return new KeyRange(from, end, limit, true);
    }

    private static List<RespReply> matching(KeyPage page, String pattern) {
        List<RespReply> keys = new ArrayList<>(page.entries().size());
        for (KeyEntry entry : page.entries()) {
            if (pattern == null || GlobPattern.matches(pattern, latin1(entry.key()))) {
                keys.add(RespReply.bulk(entry.key()));
            }
        }
        return keys;
    }

    private static RespReply scanReply(byte[] next, List<RespReply> keys) {
        return RespReply.array(List.of(RespReply.bulk(encodeCursor(next)), RespReply.array(keys)));
    }

    /** The pattern's characters before its first special one ({@code * ? [ \}). */
    static String literalPrefix(String pattern) {
        int i = 0;
        while (i < pattern.length() && "*?[\\".indexOf(pattern.charAt(i)) < 0) {
            i++;
        }
        return pattern.substring(0, i);
    }

    static String encodeCursor(byte[] next) {
        if (next == null) {
            return "0";
        }
        byte[] marked = new byte[next.length + 1];
        marked[0] = CURSOR_MARK;
        System.arraycopy(next, 0, marked, 1, next.length);
        return new BigInteger(1, marked).toString();
    }

    static byte[] decodeCursor(byte[] cursor) {
        String text = new String(cursor, StandardCharsets.US_ASCII);
        if (text.equals("0")) {
            return new byte[0];
        }
        if (!text.matches("[1-9][0-9]*")) {
            throw new CommandRefused("ERR invalid cursor");
        }
        byte[] marked = new BigInteger(text).toByteArray();
        int skip = marked[0] == 0 ? 1 : 0; // BigInteger's sign byte
        if (marked.length <= skip || marked[skip] != CURSOR_MARK) {
            throw new CommandRefused("ERR invalid cursor");
        }
        return Arrays.copyOfRange(marked, skip + 1, marked.length);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
