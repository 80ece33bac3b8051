package org.modkv.transport.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline request line ({@code SET k "hello world"}) into arguments the way Redis'
 * {@code sdssplitargs} does: arguments are separated by white space; {@code "..."} may hold
 * spaces and the escapes {@code \n \r \t \b \a \\ \" \xHH}; {@code '...'} may hold spaces
 * and {@code \'}. A closing quote must be followed by white space or the end of the line.
 * Works on bytes, so non-ASCII arguments pass through unchanged.
 */
final class InlineSplitter {

    private InlineSplitter() {
    }

    /**
     * @param line the request line without its line terminator
     * @throws RespProtocolException if quotes are unbalanced
     */
    static List<byte[]> split(byte[] line) throws RespProtocolException {
        List<byte[]> args = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int p = 0;
        int n = line.length;
        while (true) {
            while (p < n && isSpace(line[p])) {
                p++;
            }
            if (p == n) {
                return args;
            }
            current.reset();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (p == n) {
                        throw unbalanced();
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < n && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        current.write(hexValue(line[p + 2]) * 16 + hexValue(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        current.write(unescape(line[p]));
                    } else if (c == '"') {
                        if (p + 1 < n && !isSpace(line[p + 1])) {
                            throw unbalanced();
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (p == n) {
                        throw unbalanced();
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < n && line[p + 1] == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < n && !isSpace(line[p + 1])) {
                            throw unbalanced();
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (p == n) {
                    done = true;
                } else {
                    byte c = line[p];
                    if (isSpace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inDouble = true;
                    } else if (c == '\'') {
                        inSingle = true;
                    } else {
                        current.write(c);
                    }
                }
                if (p < n) {
                    p++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static RespProtocolException unbalanced() {
        return new RespProtocolException("unbalanced quotes in request");
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hexValue(byte c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    private static int unescape(byte c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }
}
