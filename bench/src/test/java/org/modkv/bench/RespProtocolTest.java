package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.modkv.client.KeyValue;

class RespProtocolTest {

    private static ByteBuf buf(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void encodesCommandsAsArraysOfBulkStrings() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        assertEquals("*2\r\n$3\r\nGET\r\n$5\r\nkey:1\r\n", text(RespCommands.get(alloc, bytes("key:1"))));
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$11\r\nhello world\r\n",
                text(RespCommands.set(alloc, bytes("k"), bytes("hello world"))));
        assertEquals("*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$0\r\n\r\n",
                text(RespCommands.mset(alloc, List.of(KeyValue.of("a", "1"), KeyValue.of("b", "")))));
        assertEquals("*2\r\n$6\r\nSEARCH\r\n$3\r\nfox\r\n", text(RespCommands.search(alloc, bytes("fox"))));
    }

    @Test
    void writesDecimalsWithoutAllocating() {
        ByteBuf out = Unpooled.buffer();
        for (int v : new int[] {0, 7, 10, 99, 100, 123456789, Integer.MAX_VALUE}) {
            out.clear();
            RespCommands.writeDecimal(out, v);
            assertEquals(Integer.toString(v), out.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void findsTheEndOfEveryReplyType() {
        for (String reply : List.of("+OK\r\n", "-ERR wrong\r\n", ":42\r\n", "$-1\r\n", "$0\r\n\r\n", "$5\r\nhello\r\n",
                "*-1\r\n", "*0\r\n", "*2\r\n$1\r\na\r\n:1\r\n", "*2\r\n*1\r\n+x\r\n*0\r\n")) {
            ByteBuf buf = buf(reply + "+NEXT\r\n");
            assertEquals(reply.length(), RespReplyScanner.end(buf, 0), reply);
        }
    }

    @Test
    void reportsIncompleteRepliesUntilTheLastByteArrives() {
        String reply = "*3\r\n$5\r\nhello\r\n:12\r\n*1\r\n$2\r\nhi\r\n";
        for (int cut = 0; cut < reply.length(); cut++) {
            assertEquals(RespReplyScanner.INCOMPLETE, RespReplyScanner.end(buf(reply.substring(0, cut)), 0), "cut at " + cut);
        }
        assertEquals(reply.length(), RespReplyScanner.end(buf(reply), 0));
    }

    @Test
    void rejectsBytesThatAreNotResp() {
        assertThrows(RespProtocolException.class, () -> RespReplyScanner.end(buf("HTTP/1.1 400\r\n"), 0));
        assertThrows(RespProtocolException.class, () -> RespReplyScanner.end(buf("$abc\r\n"), 0));
        assertThrows(RespProtocolException.class, () -> RespReplyScanner.end(buf("$2\r\nhello\r\n"), 0));
        assertThrows(RespProtocolException.class, () -> RespReplyScanner.end(buf("+OK\n"), 0));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
