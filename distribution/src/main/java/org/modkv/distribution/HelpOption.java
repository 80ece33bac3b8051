package org.modkv.distribution;

import picocli.CommandLine.Option;

/** {@code -h/--help} for a subcommand (the top command also has {@code --version}). */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
