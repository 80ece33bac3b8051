package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.Endpoint;

/** What only a raw socket can send: inline commands, garbage, oversized headers, too many connections. */
class RawProtocolTest {

    @Test
    void inlineCommandsAsRedisCliAndTelnetSendThem() throws Exception {
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            assertEquals("+PONG\r\n", client.send("PING\r\n").line());
            assertEquals("+OK\r\n", client.send("SET a b\r\n").line());
            assertArrayEquals("b".getBytes(StandardCharsets.US_ASCII), client.send("GET a\r\n").bulk());
            assertEquals("two words", new String(client.send("ECHO \"two words\"\n").bulk(), StandardCharsets.US_ASCII));
            assertEquals(":1\r\n", client.send("EXISTS a\r\n").line());
        }
    }

    @Test
    void inlineAndArrayRequestsPipelinedInOneWriteAreAnsweredInOrder() throws Exception {
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            byte[] set = RawClient.command("SET", "k", "v");
            client.send("PING\r\n" + new String(set, StandardCharsets.ISO_8859_1) + "GET k\r\nDEL k\r\nGET k\r\n");
            assertEquals("+PONG\r\n", client.line());
            assertEquals("+OK\r\n", client.line());
            assertEquals("$1\r\n", client.line());
            assertEquals("v\r\n", client.line());
            assertEquals(":1\r\n", client.line());
            assertEquals("$-1\r\n", client.line());
        }
    }

    @Test
    void commandDocsSendsArgumentFlagsAsStatusRepliesAsRedisCliRequires() throws Exception {
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            client.send("COMMAND DOCS ping\r\n");
            List<String> lines = new java.util.ArrayList<>();
            for (int i = 0; i < 40 && !lines.contains("+optional\r\n"); i++) {
                lines.add(client.line());
            }
            assertEquals(List.of("*2\r\n", "$4\r\n", "ping\r\n"), lines.subList(0, 3));
            assertEquals(List.of("$5\r\n", "flags\r\n", "*1\r\n", "+optional\r\n"),
                    lines.subList(lines.size() - 4, lines.size()));
        }
    }

    @Test
    void unknownInlineCommandIsAnErrorAndTheConnectionStaysOpen() throws Exception {
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            assertEquals("-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n",
                    client.send("FOO bar\r\n").line());
            assertEquals("+PONG\r\n", client.send("PING\r\n").line());
        }
    }

    @Test
    void garbageGetsProtocolErrorAndCloseWhileAnotherConnectionKeepsWorking() throws Exception {
        try (RespFixture fixture = RespFixture.start();
             RawClient good = fixture.raw();
             RawClient bad = fixture.raw()) {
            assertEquals("+PONG\r\n", good.send("PING\r\n").line());
            bad.send("PING\r\n*2\r\n$3\r\nGET\r\n?garbage\r\n");
            assertEquals("+PONG\r\n", bad.line(), "replies before the bad input are still sent");
            assertEquals("-ERR Protocol error: expected '$', got '?'\r\n", bad.line());
            assertTrue(bad.closedByServer());
            assertEquals("+OK\r\n", good.send(RawClient.command("SET", "still", "here")).line());
            assertArrayEquals("here".getBytes(StandardCharsets.US_ASCII), good.send("GET still\r\n").bulk());
        }
    }

    @Test
    void nonNumericArrayLengthIsProtocolErrorAndClose() throws Exception {
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            String reply = client.send("*two\r\n").line();
            assertEquals("-ERR Protocol error: invalid multibulk length 'two'\r\n", reply);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void oversizedBulkIsRejectedFromItsHeaderNamingTheLimit() throws Exception {
        try (RespFixture fixture = RespFixture.start(Map.of("resp.max.bulk.bytes", "1KiB"));
             RawClient client = fixture.raw()) {
            // Only the header is sent: the server must not wait for the 5000 bytes.
            String reply = client.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000\r\n").line();
            assertEquals("-ERR Protocol error: invalid bulk length 5000; resp.max.bulk.bytes=1024\r\n", reply);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void oversizedInlineLineIsRejected() throws Exception {
        try (RespFixture fixture = RespFixture.start(Map.of("resp.max.inline.bytes", "64"));
             RawClient client = fixture.raw()) {
            String reply = client.send("SET k " + "x".repeat(100)).line();
            assertEquals("-ERR Protocol error: too big inline request; resp.max.inline.bytes=64\r\n", reply);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void quitRepliesOkThenClosesIgnoringLaterRequests() throws Exception {
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            client.send("PING\r\nQUIT\r\nSET after quit\r\n");
            assertEquals("+PONG\r\n", client.line());
            assertEquals("+OK\r\n", client.line());
            assertTrue(client.closedByServer());
            assertEquals(0, fixture.kernel.status().keys(), "nothing after QUIT runs");
        }
    }

    @Test
    void connectionOverTheLimitIsToldAndClosedAndOthersKeepWorking() throws Exception {
        try (RespFixture fixture = RespFixture.start(Map.of("resp.max.connections", "2"));
             RawClient first = fixture.raw();
             RawClient second = fixture.raw()) {
            assertEquals("+PONG\r\n", first.send("PING\r\n").line());
            assertEquals("+PONG\r\n", second.send("PING\r\n").line());
            try (RawClient third = fixture.raw()) {
                assertEquals("-ERR max number of clients reached\r\n", third.line());
                assertTrue(third.closedByServer());
            }
            assertEquals("+PONG\r\n", first.send("PING\r\n").line());
            first.close();
            // The slot frees once the server has seen the close; retry a bounded number of times.
            String reply = null;
            for (int attempt = 0; attempt < 200 && !"+PONG\r\n".equals(reply); attempt++) {
                try (RawClient again = fixture.raw()) {
                    reply = again.send("PING\r\n").line();
                } catch (IOException e) {
                    reply = null;
                }
                if (!"+PONG\r\n".equals(reply)) {
                    Thread.sleep(25);
                }
            }
            assertEquals("+PONG\r\n", reply);
        }
    }

    @Test
    void endpointIsNamedRespWithTheBoundPort() throws Exception {
        try (RespFixture fixture = RespFixture.start()) {
            List<Endpoint> endpoints = fixture.server.endpoints();
            assertEquals(1, endpoints.size());
            assertEquals("resp", endpoints.get(0).name());
            assertEquals("127.0.0.1:" + fixture.port, endpoints.get(0).hostPort());
            assertTrue(fixture.port > 0);
        }
    }

    @Test
    void addressInUseIsAnIOExceptionNamingTheKey() throws Exception {
        try (RespFixture fixture = RespFixture.start()) {
            IOException e = assertThrows(IOException.class,
                    () -> RespFixture.start(Map.of("resp.listen", "127.0.0.1:" + fixture.port)).close());
            assertTrue(e.getMessage().startsWith("resp.listen=127.0.0.1:" + fixture.port + ": cannot listen"),
                    e.getMessage());
        }
    }
}
