package org.modkv.distribution.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.modkv.api.config.ConfigException;
import org.modkv.distribution.ErrorMessages;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import org.modkv.distribution.PluginDirOption;
import org.modkv.node.ModkvNode;
import org.modkv.node.NodeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code modkv cluster}: runs a local cluster of N nodes in this process, for trying replication
 * out: node i (from 1) is {@code n<i>} with its data under {@code DIR/n<i>} and four ports from
 * {@code P + 4(i-1)}: tcp, peer, resp and metrics. Prints each node's ready line, then runs
 * until SIGTERM or Ctrl-C. For real deployments run one {@code modkv node} per machine with
 * {@code tcp.peers} set.
 */
@Command(name = "cluster", description = {
    "Run a local cluster of N nodes in this process until SIGTERM or Ctrl-C.",
    "Node i is n<i>, with data under DIR/n<i> and ports P+4(i-1) (tcp), +1 (peer), +2 (resp), +3 (metrics).",
    "Prints one 'modkv ready node=...' line per node."})
public final class ClusterCommand implements Callable<Integer> {
    static final int MAX_NODES = 9;

    @Mixin
    HelpOption help;
    @Mixin
    PluginDirOption pluginDirOption;
    @Spec
    CommandSpec spec;
    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Nodes, 1 to " + MAX_NODES
            + " (default ${DEFAULT-VALUE}); an odd number tolerates as many failures as the next even one.")
    int nodes;
    @Option(names = "--replication", paramLabel = "PLUGIN", defaultValue = "raft",
            description = "The replication plugin (default ${DEFAULT-VALUE}).")
    String replication;
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data-cluster",
            description = "Directory for the nodes' data (default ${DEFAULT-VALUE}).")
    Path data;
    @Option(names = "--base-port", paramLabel = "P", defaultValue = "7400",
            description = "First port; each node takes four (default ${DEFAULT-VALUE}).")
    int basePort;
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set one config key on every node; repeat for more.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (nodes < 1 || nodes > MAX_NODES) {
            err.println("modkv: --nodes must be 1.." + MAX_NODES + ", was " + nodes);
            return ExitStatus.ERROR;
        }
        if (basePort < 1 || basePort + 4 * nodes - 1 > 65_535) {
            err.println("modkv: --base-port must leave room for " + (4 * nodes) + " ports below 65536, was " + basePort);
            return ExitStatus.ERROR;
        }
        List<ModkvNode> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "modkv-cluster-shutdown"));
        try {
            for (int i = 1; i <= nodes; i++) {
                ModkvNode node = ModkvNode.start(new NodeOptions(Optional.empty(), nodeSettings(i), pluginDirOption.pluginDirs()));
                synchronized (started) {
                    started.add(node);
                }
                out.println(node.readyLine());
                out.flush();
            }
        } catch (ConfigException e) {
            err.println("modkv: " + e.getMessage());
            closeAll(started);
            return ExitStatus.ERROR;
        } catch (IOException e) {
            err.println("modkv: cannot start the cluster: " + ErrorMessages.describe(e));
            closeAll(started);
            return ExitStatus.ERROR;
        }
        return awaitAll(started, err);
    }

    /**
     * Waits until every node has stopped. A node that stops after a fatal error is reported on
     * stderr as soon as it stops (the others keep running, as a real cluster's would); the exit
     * status is then an error.
     */
    private static int awaitAll(List<ModkvNode> nodes, PrintWriter err) throws InterruptedException {
        List<ModkvNode> running = new ArrayList<>(nodes);
        boolean failed = false;
        while (!running.isEmpty()) {
            for (Iterator<ModkvNode> it = running.iterator(); it.hasNext(); ) {
                ModkvNode node = it.next();
                if (!node.awaitClosed(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                it.remove();
                if (node.failure().isPresent()) {
                    failed = true;
                    err.println("modkv: node " + node.nodeId() + " stopped after a fatal error: "
                            + node.failure().get().getMessage() + (running.isEmpty() ? "" : "; the other nodes keep running"));
                    err.flush();
                }
            }
        }
        return failed ? ExitStatus.ERROR : ExitStatus.OK;
    }

    /** Node {@code i}'s settings: the generated ones, then the user's {@code --set}s over them. */
    Map<String, String> nodeSettings(int i) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", "n" + i);
        settings.put("data.dir", data.resolve("n" + i).toString());
        settings.put("replication", replication);
        settings.put("tcp.listen", "127.0.0.1:" + port(i, 0));
        settings.put("tcp.peer.listen", "127.0.0.1:" + port(i, 1));
        settings.put("resp.listen", "127.0.0.1:" + port(i, 2));
        settings.put("metrics.listen", "127.0.0.1:" + port(i, 3));
        List<String> peers = new ArrayList<>();
        for (int j = 1; j <= nodes; j++) {
            peers.add("n" + j + "=127.0.0.1:" + port(j, 1));
        }
        settings.put("tcp.peers", String.join(",", peers));
        if (overrides != null) {
            settings.putAll(overrides);
        }
        return settings;
    }

    private int port(int node, int offset) {
        return basePort + 4 * (node - 1) + offset;
    }

    private static void closeAll(List<ModkvNode> nodes) {
        synchronized (nodes) {
            for (ModkvNode node : nodes) {
                node.close();
            }
        }
    }
}
