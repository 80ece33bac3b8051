package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestParserTest {
    private final RespSettings settings = settings(Map.of());
    private final RequestParser parser = new RequestParser(settings);

    private static RespSettings settings(Map<String, String> values) {
        return RespSettings.from(RespSettings.SCHEMA.bind(values));
    }

    private static ByteBuf buffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(RespRequest request) {
        return request.args().stream().map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void parsesArrayOfBulkStrings() throws Exception {
        ByteBuf in = buffer("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n");
        assertEquals(List.of("SET", "k", "hello"), strings(parser.next(in)));
        assertEquals(0, in.readableBytes());
        assertNull(parser.next(in));
    }

    @Test
    void parsesManyPipelinedRequestsFromOneBuffer() throws Exception {
        ByteBuf in = buffer("*1\r\n$4\r\nPING\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n");
        assertEquals(List.of("PING"), strings(parser.next(in)));
        assertEquals(List.of("PING"), strings(parser.next(in)));
        assertEquals(List.of("ECHO", "hi"), strings(parser.next(in)));
        assertNull(parser.next(in));
    }

    @Test
    void resumesARequestSplitAtEveryByte() throws Exception {
        byte[] wire = "*2\r\n$3\r\nGET\r\n$11\r\nkey\r\nwith\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf in = Unpooled.buffer();
        RespRequest request = null;
        for (int i = 0; i < wire.length; i++) {
            assertNull(request, "complete before its last byte");
            in.writeByte(wire[i]);
            request = parser.next(in);
        }
        assertEquals(List.of("GET", "key\r\nwith\r\n"), strings(request));
    }

    @Test
    void keepsBinaryArgumentsExact() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        RespRequest request = parser.next(Unpooled.wrappedBuffer(RawClient.command("SET".getBytes(StandardCharsets.US_ASCII), all, new byte[0])));
        assertArrayEquals(all, request.arg(1));
        assertArrayEquals(new byte[0], request.arg(2));
    }

    @Test
    void skipsEmptyAndNullArraysAndBlankInlineLines() throws Exception {
        ByteBuf in = buffer("*0\r\n*-1\r\n\r\n  \r\nPING\r\n");
        assertEquals(List.of("PING"), strings(parser.next(in)));
    }

    @Test
    void splitsInlineCommandsWithQuotes() throws Exception {
        ByteBuf in = buffer("SET k \"hello world\\x21\\n\" 'it\\'s'\n");
        assertEquals(List.of("SET", "k", "hello world!\n", "it's"), strings(parser.next(in)));
    }

    @Test
    void rejectsUnbalancedQuotesInInlineCommand() {
        RespProtocolException e = assertThrows(RespProtocolException.class, () -> parser.next(buffer("SET k \"open\r\n")));
        assertEquals("unbalanced quotes in request", e.getMessage());
    }

    @Test
    void rejectsWrongTypeByteInsideArray() {
        RespProtocolException e = assertThrows(RespProtocolException.class, () -> parser.next(buffer("*2\r\n$3\r\nGET\r\n:1\r\n")));
        assertEquals("expected '$', got ':'", e.getMessage());
    }

    @Test
    void rejectsNonNumericLengths() {
        assertTrue(assertThrows(RespProtocolException.class, () -> parser.next(buffer("*x\r\n")))
                .getMessage().startsWith("invalid multibulk length 'x'"));
        assertTrue(assertThrows(RespProtocolException.class, () -> new RequestParser(settings).next(buffer("*1\r\n$1a\r\n")))
                .getMessage().startsWith("invalid bulk length '1a'"));
    }

    @Test
    void rejectsNegativeLengthsOtherThanNullArray() {
        assertTrue(assertThrows(RespProtocolException.class, () -> parser.next(buffer("*-2\r\n")))
                .getMessage().startsWith("invalid multibulk length -2"));
        assertTrue(assertThrows(RespProtocolException.class, () -> new RequestParser(settings).next(buffer("*1\r\n$-1\r\n")))
                .getMessage().startsWith("invalid bulk length -1"));
    }

    @Test
    void rejectsBulkStringWithoutCrlf() {
        RespProtocolException e = assertThrows(RespProtocolException.class,
                () -> parser.next(buffer("*1\r\n$4\r\nPINGxx")));
        assertEquals("bulk string of 4 bytes is not followed by CRLF", e.getMessage());
    }

    @Test
    void rejectsHeaderLineWithoutCarriageReturn() {
        assertThrows(RespProtocolException.class, () -> parser.next(buffer("*1\n$4\r\nPING\r\n")));
    }

    @Test
    void rejectsOversizedBulkFromItsHeaderAlone() {
        RequestParser small = new RequestParser(settings(Map.of("resp.max.bulk.bytes", "1KiB")));
        RespProtocolException e = assertThrows(RespProtocolException.class,
                () -> small.next(buffer("*2\r\n$3\r\nGET\r\n$1025\r\n")));
        assertEquals("invalid bulk length 1025; resp.max.bulk.bytes=1024", e.getMessage());
    }

    @Test
    void rejectsTooLongArray() {
        RequestParser small = new RequestParser(settings(Map.of("resp.max.array.length", "3")));
        RespProtocolException e = assertThrows(RespProtocolException.class, () -> small.next(buffer("*4\r\n")));
        assertEquals("invalid multibulk length 4; resp.max.array.length=3", e.getMessage());
    }

    @Test
    void rejectsRequestLargerThanRequestLimitBeforeItArrives() {
        RequestParser small = new RequestParser(settings(Map.of("resp.max.request.bytes", "100")));
        RespProtocolException e = assertThrows(RespProtocolException.class,
                () -> small.next(buffer("*3\r\n$4\r\nMSET\r\n$60\r\n" + "k".repeat(60) + "\r\n$60\r\n")));
        assertEquals("request larger than resp.max.request.bytes=100", e.getMessage());
    }

    @Test
    void rejectsInlineLineLongerThanLimitWithoutWaitingForItsEnd() throws Exception {
        RequestParser small = new RequestParser(settings(Map.of("resp.max.inline.bytes", "16")));
        assertNull(small.next(buffer("GET " + "x".repeat(12))));
        RespProtocolException e = assertThrows(RespProtocolException.class,
                () -> small.next(buffer("GET " + "x".repeat(40))));
        assertEquals("too big inline request; resp.max.inline.bytes=16", e.getMessage());
    }

    @Test
    void rejectsEndlessLengthHeader() {
        RespProtocolException e = assertThrows(RespProtocolException.class,
                () -> parser.next(buffer("*" + "9".repeat(40))));
        assertEquals("too big mbulk count string", e.getMessage());
    }
}
