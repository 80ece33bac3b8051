package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A committed merge being carried out in the running engine: its {@link MergeCommit} is
 * written, its inputs are unregistered; {@link #finish} gives the outputs their own names and
 * deletes the inputs, then the commit file. Repeating {@code finish} is harmless, so one that
 * fails is tried again by the merger's next round, before any new merge (one commit file at a
 * time), or done by recovery after a restart.
 *
 * <p>Threading: the merger's, one merge at a time.
 */
final class MergeRetirement {
    private final DataFiles files;
    private final Path commit;
    private final List<DataFile> outputs;
    private final List<DataFile> inputs;

    private MergeRetirement(DataFiles files, Path commit, List<DataFile> outputs, List<DataFile> inputs) {
        this.files = files;
        this.commit = commit;
        this.outputs = List.copyOf(outputs);
        this.inputs = List.copyOf(inputs);
    }

    /**
     * Writes the commit that makes the merge of {@code inputs} into {@code outputs} (in place,
     * under their temporary names) happen as a whole: a crash halfway through the deletions
     * cannot leave an input holding a put whose delete was in an input already gone.
     *
     * @throws IOException if the commit cannot be written; none is left then, and the merge can
     *     be taken back
     */
    static MergeRetirement commit(DataFiles files, List<DataFile> outputs, List<DataFile> inputs)
            throws IOException {
        List<String> outputNames = new ArrayList<>();
        for (DataFile output : outputs) {
            outputNames.add(DataFile.fileName(output.id(), DataFile.Kind.MERGED));
        }
        List<String> inputNames = new ArrayList<>();
        for (DataFile input : inputs) {
            inputNames.add(DataFile.fileName(input.id(), input.kind()));
            inputNames.add(HintFile.fileName(input.id()));
        }
        Path commit = MergeCommit.write(files.dir(), files.nextId(), outputNames, inputNames, files.opener());
        return new MergeRetirement(files, commit, outputs, inputs);
    }

    /** Renames the outputs to their own names, deletes the inputs and their hints, then the commit file. */
    void finish() throws IOException {
        for (DataFile output : outputs) {
            Path own = files.dir().resolve(DataFile.fileName(output.id(), DataFile.Kind.MERGED));
            if (!output.path().equals(own)) {
                output.renameTo(own);
            }
        }
        DataFiles.syncDirectory(files.dir());
        for (DataFile input : inputs) {
            input.close();
            Files.deleteIfExists(input.path());
            Files.deleteIfExists(HintFile.path(files.dir(), input.id()));
        }
        DataFiles.syncDirectory(files.dir());
        MergeCommit.done(commit);
    }
}
