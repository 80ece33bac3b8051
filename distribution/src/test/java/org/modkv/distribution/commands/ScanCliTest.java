package org.modkv.distribution.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportProvider;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.ModkvCommand;
import org.modkv.testkit.TestTransportContext;
import org.modkv.testkit.transport.InMemoryRequestHandler;

/** {@code modkv scan [--prefix P] [--limit N] [--keys-only]}: order, paging past one request, limits. */
class ScanCliTest {
    private static final InMemoryRequestHandler KERNEL = new InMemoryRequestHandler("cli-node");
    private static Transport transport;
    private static String address;

    @BeforeAll
    static void start() throws Exception {
        ScanCliTest.class.getModule().addUses(TransportProvider.class);
        TransportProvider tcp = ServiceLoader.load(ModuleLayer.boot(), TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("tcp")).findFirst().orElseThrow();
        transport = tcp.start(TestTransportContext.forPlugin(tcp, "cli-node", Map.of("tcp.listen", "127.0.0.1:0"),
                KERNEL));
        address = transport.endpoints().get(0).hostPort();
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 2500; i++) { // more than one page of ScanCommand.PAGE
            batch.put(String.format("p%04d", i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        batch.put("other".getBytes(StandardCharsets.UTF_8), "o".getBytes(StandardCharsets.UTF_8));
        KERNEL.write(batch).join();
    }

    @AfterAll
    static void stop() throws Exception {
        transport.close();
    }

    private static String[] run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withConnect = new String[args.length + 2];
        System.arraycopy(args, 0, withConnect, 0, args.length);
        withConnect[args.length] = "--connect";
        withConnect[args.length + 1] = address;
        int status = ModkvCommand.execute(withConnect, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expectedStatus, status, err.toString());
        return out.toString().isEmpty() ? new String[0] : out.toString().split("\n");
    }

    @Test
    void scanPrintsEveryKeyWithItsValueInOrderAcrossPages() {
        String[] lines = run(ExitStatus.OK, "scan", "--prefix", "p");
        assertEquals(2500, lines.length);
        assertEquals("p0000\tv0", lines[0]);
        assertEquals("p2499\tv2499", lines[2499]);
        assertEquals(2501, run(ExitStatus.OK, "scan", "--keys-only").length);
    }

    @Test
    void limitAndKeysOnlyShapeTheOutput() {
        String[] lines = run(ExitStatus.OK, "scan", "--prefix", "p1", "--limit", "3", "--keys-only");
        assertEquals(3, lines.length);
        assertEquals("p1000", lines[0]);
        assertEquals(0, run(ExitStatus.OK, "scan", "--prefix", "zzz").length);
        StringWriter err = new StringWriter();
        int status = ModkvCommand.execute(new String[] {"scan", "--limit", "0", "--connect", address},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(ExitStatus.ERROR, status);
        assertTrue(err.toString().contains("--limit must be at least 1"), err.toString());
    }
}
