package org.modkv.distribution.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings {@code modkv cluster} gives each node. */
class ClusterCommandTest {

    @Test
    void eachNodeGetsItsIdDataDirectoryFourPortsAndTheWholePeerList() {
        ClusterCommand command = new ClusterCommand();
        command.nodes = 3;
        command.replication = "raft";
        command.data = Path.of("cluster-data");
        command.basePort = 7400;
        command.overrides = Map.of("raft.election.timeout.ms", "500", "tcp.listen", "127.0.0.1:9999");
        Map<String, String> second = command.nodeSettings(2);
        assertEquals("n2", second.get("node.id"));
        assertEquals(Path.of("cluster-data", "n2").toString(), second.get("data.dir"));
        assertEquals("raft", second.get("replication"));
        assertEquals("127.0.0.1:7405", second.get("tcp.peer.listen"));
        assertEquals("127.0.0.1:7406", second.get("resp.listen"));
        assertEquals("127.0.0.1:7407", second.get("metrics.listen"));
        assertEquals("n1=127.0.0.1:7401,n2=127.0.0.1:7405,n3=127.0.0.1:7409", second.get("tcp.peers"));
        assertEquals("500", second.get("raft.election.timeout.ms"), "--set applies to every node");
        assertEquals("127.0.0.1:9999", second.get("tcp.listen"), "--set wins over the generated settings");
    }
}
