package org.modkv.distribution.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * {@code modkv node}: runs one node in the foreground. Prints the ready line to stdout once it
 * serves (scripts and tests wait for it), logs to stderr, and shuts down cleanly on SIGTERM or
 * Ctrl-C. A config problem is one line on stderr and exit status 2. After a fatal storage
 * error the node stops by itself (within {@code node.shutdown.timeout.ms}) and the command
 * exits 2, its last stderr line naming the cause.
 */
@Command(name = "node", description = {
    "Run one node in the foreground until SIGTERM or Ctrl-C.",
    "Without --config the node runs on built-in defaults (data under ./data, tcp on 127.0.0.1:7379).",
    "Prints 'modkv ready node=<id> tcp=<host:port> ...' to stdout once it serves."})
public final class NodeCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    PluginDirOption pluginDirOption;
    @Spec
    CommandSpec spec;
    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file, e.g. conf/modkv.properties of this distribution.")
    Path config;
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set one config key, over the file; repeat for more. 'modkv plugins' lists the keys.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModkvNode node;
        try {
            NodeOptions options = new NodeOptions(Optional.ofNullable(config),
                    overrides == null ? Map.of() : overrides, pluginDirOption.pluginDirs());
            node = ModkvNode.start(options);
        } catch (ConfigException e) {
            err.println("modkv: " + e.getMessage());
            return ExitStatus.ERROR;
        } catch (IOException e) {
            err.println("modkv: cannot start the node: " + ErrorMessages.describe(e));
            return ExitStatus.ERROR;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "modkv-shutdown"));
        out.println(node.readyLine());
        out.flush();
        node.awaitClosed();
        if (node.failure().isPresent()) {
            err.println("modkv: the node stopped after a fatal error: " + node.failure().get().getMessage());
            err.flush();
            haltAfter(node.shutdownTimeout(), ExitStatus.ERROR);
            return ExitStatus.ERROR;
        }
        return ExitStatus.OK;
    }

    /**
     * The caller exits with {@code status} next; should that exit hang (a shutdown hook that
     * never returns), the JVM halts with the same status once {@code grace} has passed.
     */
    private static void haltAfter(Duration grace, int status) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(status);
        }, "modkv-exit-watchdog");
        halt.setDaemon(true);
        halt.start();
    }
}
