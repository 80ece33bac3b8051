package org.modkv.distribution.commands;

import java.util.List;
import org.modkv.client.ModkvClient;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs the most specific subcommand picocli parsed: a {@link ClientCommand} with a client from
 * a {@link ClientSource}, anything else ({@code node}, {@code shell}...) the usual picocli way.
 * Help requests are answered first.
 */
public final class RunClientCommand implements IExecutionStrategy {
    private final ClientSource clients;

    public RunClientCommand(ClientSource clients) {
        this.clients = clients;
    }

    @Override
    public int execute(ParseResult parseResult) {
        Integer helpStatus = CommandLine.executeHelpRequest(parseResult);
        if (helpStatus != null) {
            return helpStatus;
        }
        List<CommandLine> parsed = parseResult.asCommandLineList();
        CommandLine last = parsed.get(parsed.size() - 1);
        if (!(last.getCommand() instanceof ClientCommand command)) {
            return new CommandLine.RunLast().execute(parseResult);
        }
        command.validate();
        try {
            ModkvClient client = clients.acquire(last);
            try {
                return command.run(client, last.getOut(), last.getErr());
            } finally {
                last.getOut().flush();
                clients.release(client);
            }
        } catch (ParameterException | ExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ExecutionException(last, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }
}
