package org.modkv.distribution.shell;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** A command's one-line usage for the shell's help, e.g. {@code similar [--top K] [--min SCORE] TEXT...}. */
final class Synopsis {
    private Synopsis() {
    }

    static String of(CommandSpec spec) {
        StringBuilder line = new StringBuilder(spec.name());
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            line.append(" [").append(option.longestName());
            if (option.arity().max() > 0) {
                line.append(' ').append(option.paramLabel());
            }
            line.append(']');
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            String label = positional.paramLabel() + (positional.arity().max() > 1 ? "..." : "");
            line.append(' ').append(positional.arity().min() == 0 ? "[" + label + "]" : label);
        }
        return line.toString();
    }

    /** The first line of the command's description. */
    static String summary(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        return description.length == 0 ? "" : description[0];
    }
}
