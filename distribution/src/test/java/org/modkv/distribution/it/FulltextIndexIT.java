package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * The packaged node runs the fulltext index from plugins/index-fulltext (its own module layer with
 * Lucene) and answers RESP's SEARCH, SEARCHANY and FINDVALUE from it. The index's own behaviour
 * is tested in index-fulltext; this proves the packaging and the wiring.
 */
class FulltextIndexIT {
    private static final int TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    @Test
    void packagedNodeSearchesWithTheFulltextIndex() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), "--set", "indexes=fulltext");
             Jedis jedis = new Jedis(host(node.resp()), port(node.resp()), TIMEOUT_MS)) {
            jedis.set("fox", "The quick brown fox");
            jedis.set("store", "a quick data store");
            jedis.set("cafe", "Café crème");
            jedis.set("bin".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, 0, 'q'});

            assertEquals(List.of("fox", "store"), command(jedis, "SEARCH", "quick"), "equal scores, in key order");
            assertEquals(List.of("fox"), command(jedis, "SEARCH", "\"quick brown\""));
            assertEquals(List.of("store"), command(jedis, "SEARCH", "quick", "-fox"));
            assertEquals(List.of("cafe"), command(jedis, "SEARCH", "CAFE"));
            assertEquals(Set.of("fox", "store"), Set.copyOf(command(jedis, "SEARCHANY", "fox", "data*")));
            assertEquals(List.of("store"), command(jedis, "FINDVALUE", "a quick data store"));

            jedis.del("fox");
            assertEquals(List.of("store"), command(jedis, "SEARCH", "quick"));
        }
    }

    private static List<String> command(Jedis jedis, String name, String... args) {
        ProtocolCommand command = () -> name.getBytes(StandardCharsets.UTF_8);
        Object reply = jedis.sendCommand(command, args);
        List<String> keys = new ArrayList<>();
        for (Object item : (List<?>) reply) {
            keys.add(new String((byte[]) item, StandardCharsets.UTF_8));
        }
        return keys;
    }

    private static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
