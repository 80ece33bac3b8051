package org.modkv.distribution.server;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.modkv.api.config.ConfigException;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import org.modkv.distribution.PluginDirOption;
import org.modkv.distribution.ModkvHome;
import org.modkv.node.PluginCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code modkv plugins}: every plugin this distribution finds, with its config keys and defaults. */
@Command(name = "plugins", description = {
    "List the plugins found, with their config keys and defaults.",
    "Plugins come built in, from the module path and from <home>/plugins; the kernel's keys come first."})
public final class PluginsCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    PluginDirOption pluginDirOption;
    @Spec
    CommandSpec spec;
    @Option(names = "--sample-config",
            description = "Print a modkv.properties with every key commented out instead (conf/modkv.properties).")
    boolean sampleConfig;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginCatalog catalog;
        try {
            catalog = PluginCatalog.discover(pluginDirOption.pluginDirs());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("modkv: " + e.getMessage());
            return ExitStatus.ERROR;
        }
        if (sampleConfig) {
            new SampleConfig(PluginCatalog.kernelSchema(), catalog.plugins()).print(out);
        } else {
            new PluginListing(PluginCatalog.kernelSchema(), catalog.plugins(), ModkvHome.home()).print(out);
        }
        out.flush();
        return ExitStatus.OK;
    }
}
