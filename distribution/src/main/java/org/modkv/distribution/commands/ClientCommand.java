package org.modkv.distribution.commands;

import java.io.PrintWriter;
import org.modkv.client.ModkvClient;

/**
 * A command that talks to a running node: {@code put}, {@code get}, {@code search}... The
 * same picocli-annotated class serves the one-shot CLI ({@code modkv get k}, which connects
 * per call) and the shell (which holds one connection), so both parse and print alike.
 *
 * <p>Failures are exceptions ({@link org.modkv.client.ModkvClientException} mostly); the
 * caller prints them and maps them to {@link org.modkv.distribution.ExitStatus#ERROR}.
 */
public interface ClientCommand {

    /**
     * Checks the parsed arguments before any connection is made.
     *
     * @throws picocli.CommandLine.ParameterException saying what is wrong and what is allowed
     */
    default void validate() {
    }

    /**
     * Whether an argument starting with {@code -} that is not one of the command's options is a
     * positional argument (search's {@code -word} exclusions) rather than an unknown option.
     */
    default boolean takesDashWords() {
        return false;
    }

    /**
     * Runs the command with the parsed arguments already in its fields.
     *
     * @param out results, one item per line
     * @param err "not found" and other remarks that are not results
     * @return {@link org.modkv.distribution.ExitStatus#OK} or
     *     {@link org.modkv.distribution.ExitStatus#NOT_FOUND}
     */
    int run(ModkvClient client, PrintWriter out, PrintWriter err);
}
