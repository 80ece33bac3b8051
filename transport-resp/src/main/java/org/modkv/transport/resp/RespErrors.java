package org.modkv.transport.resp;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.modkv.api.ModkvException;

/**
 * The error replies of the RESP transport, worded like Redis' own where Redis has one, so
 * that client libraries and people used to Redis recognise them.
 *
 * <p>Mapping of kernel failures ({@link ModkvException}): {@code OVERLOADED} becomes
 * {@code -BUSY <message>} (Redis' "busy, retry later" code; Jedis raises
 * {@code JedisBusyException}); {@code STORAGE_CORRUPT} becomes
 * {@code -STORAGE_CORRUPT <message>}, so that a program can tell damaged data (do not retry
 * here; read from a replica) from other failures by the error's first word, as Redis clients do
 * for {@code -BUSY} or {@code -LOADING}; {@code INDEX_NOT_READY} becomes
 * {@code -TRYAGAIN <message>} (Redis' "retry this later" code; the message says to retry or to
 * ask with {@code STALE}); every other code becomes {@code -ERR <message>}, the
 * kernel's message being written for the user already. {@code NOT_LEADER} in particular is
 * {@code -ERR <message naming the leader>}, not {@code -MOVED}: a Redis Cluster client would
 * read {@code -MOVED} as a hash-slot redirect and try to follow it, and modkv has no slots.
 * It should rarely be seen anyway, since replication forwards requests to the leader so any
 * node serves any command.
 */
final class RespErrors {
    private static final System.Logger LOG = System.getLogger(RespErrors.class.getName());
    /** How much of a client-supplied argument an error message quotes. */
    private static final int QUOTE_LIMIT = 128;

    private RespErrors() {
    }

    /** {@code ERR wrong number of arguments for 'get' command}. */
    static RespReply wrongArity(String command) {
        return RespReply.error("ERR wrong number of arguments for '" + command.toLowerCase(Locale.ROOT) + "' command");
    }

    /** {@code ERR unknown command 'FOO', with args beginning with: 'a' 'b' }, as Redis 7 words it. */
    static RespReply unknownCommand(List<byte[]> args) {
        StringBuilder text = new StringBuilder("ERR unknown command '")
                .append(printable(args.get(0), QUOTE_LIMIT)).append("', with args beginning with: ");
        for (int i = 1; i < args.size() && text.length() < 512; i++) {
            text.append('\'').append(printable(args.get(i), QUOTE_LIMIT)).append("' ");
        }
        return RespReply.error(text.toString());
    }

    /** {@code ERR unknown subcommand 'X'. Try ...}. */
    static RespReply unknownSubcommand(String command, byte[] subcommand, String supported) {
        return RespReply.error("ERR unknown subcommand '" + printable(subcommand, QUOTE_LIMIT) + "' for '"
                + command.toLowerCase(Locale.ROOT) + "'; modkv supports " + supported);
    }

    /** {@code ERR syntax error}, with what was wrong. */
    static RespReply syntax(String detail) {
        return RespReply.error("ERR syntax error: " + detail);
    }

    /** {@code ERR value is not an integer or out of range}. */
    static RespReply notAnInteger() {
        return RespReply.error("ERR value is not an integer or out of range");
    }

    /** {@code ERR Protocol error: ...}, sent just before the connection is closed. */
    static RespReply protocol(RespProtocolException e) {
        return RespReply.error("ERR Protocol error: " + e.getMessage());
    }

    /** The reply for a failed request future. */
    static RespReply fromFailure(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CommandRefused refused) {
            return RespReply.error(refused.getMessage());
        }
        if (cause instanceof ModkvException e) {
            String message = e.getMessage() == null ? e.code().name().toLowerCase(Locale.ROOT) : e.getMessage();
            return switch (e.code()) {
                case OVERLOADED -> RespReply.error("BUSY " + message);
                case STORAGE_CORRUPT -> RespReply.error("STORAGE_CORRUPT " + message);
                case INDEX_NOT_READY -> RespReply.error("TRYAGAIN " + message);
                default -> RespReply.error("ERR " + message);
            };
        }
        LOG.log(Level.WARNING, "RESP request failed unexpectedly", cause);
        return RespReply.error("ERR internal error: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    /**
     * Client bytes for an error message: printable ASCII as is, anything else as {@code \xHH},
     * at most {@code limit} bytes (then {@code ...}).
     */
    static String printable(byte[] bytes, int limit) {
        StringBuilder out = new StringBuilder(Math.min(bytes.length, limit) + 8);
        int n = Math.min(bytes.length, limit);
        for (int i = 0; i < n; i++) {
            int c = bytes[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\'') {
                out.append((char) c);
            } else {
                out.append(String.format(Locale.ROOT, "\\x%02x", c));
            }
        }
        if (bytes.length > limit) {
            out.append("...");
        }
        return out.toString();
    }
}
