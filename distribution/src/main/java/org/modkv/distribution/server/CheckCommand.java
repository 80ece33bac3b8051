package org.modkv.distribution.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.modkv.api.config.ConfigException;
import org.modkv.api.storage.StorageCheckReport;
import org.modkv.api.storage.StorageDamage;
import org.modkv.distribution.ErrorMessages;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import org.modkv.distribution.PluginDirOption;
import org.modkv.node.DataDirCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code modkv check --data DIR}: checks a stopped node's data directory offline, as
 * {@code etcdutl check} or a Cassandra scrub do: every record's checksum and every hint file,
 * through the storage plugin's own check. Prints each piece of damage by file and byte offset
 * (stdout), then a summary. Exit status 0 when clean, 1 when damage was found, 2 when the check
 * could not run (not a data directory, held by a running node, unreadable).
 */
@Command(name = "check", description = {
    "Check a stopped node's data directory: every record's checksum, every hint file.",
    "Offline: refuses a directory that a running node holds; changes nothing.",
    "Prints each damaged place as 'DAMAGE <file> at byte offset <n>: <problem>'.",
    "Exit status: 0 clean, " + ExitStatus.DAMAGE_FOUND + " damage found, " + ExitStatus.ERROR
            + " the check could not run."})
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    PluginDirOption pluginDirOption;
    @Spec
    CommandSpec spec;
    @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "The node's data directory (its data.dir, holding LOCK and storage-wal/).")
    Path data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<DataDirCheck.Result> results;
        try {
            results = DataDirCheck.run(data, pluginDirOption.pluginDirs());
        } catch (ConfigException | IOException e) {
            err.println("modkv: cannot check " + data + ": " + ErrorMessages.describe(e));
            return ExitStatus.ERROR;
        }
        long damaged = 0;
        boolean checkedAny = false;
        for (DataDirCheck.Result result : results) {
            if (result.report().isEmpty()) {
                out.println(result.directory() + ": the storage plugin '" + result.storage()
                        + "' has no offline check; not checked");
                continue;
            }
            checkedAny = true;
            StorageCheckReport report = result.report().get();
            for (StorageDamage damage : report.damage()) {
                out.println("DAMAGE " + damage);
            }
            for (String note : report.notes()) {
                out.println("note: " + note);
            }
            out.println(String.format(Locale.ROOT, "%s (storage %s): %d files, %d records, %s checked: %s",
                    report.directory(), result.storage(), report.files(), report.records(), size(report.bytes()),
                    report.isClean() ? "no damage" : report.damage().size() + " damaged place(s)"));
            damaged += report.damage().size();
        }
        if (!checkedAny) {
            err.println("modkv: nothing under " + data + " could be checked");
            return ExitStatus.ERROR;
        }
        if (damaged > 0) {
            out.println("damage found: " + damaged + " place(s). A node serving this directory refuses the damaged "
                    + "values (STORAGE_CORRUPT); restore them from a replica or a backup.");
            return ExitStatus.DAMAGE_FOUND;
        }
        out.println("clean: no damage found");
        return ExitStatus.OK;
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
