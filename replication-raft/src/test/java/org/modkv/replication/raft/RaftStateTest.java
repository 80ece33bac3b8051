package org.modkv.replication.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Term, vote and snapshot position survive a restart, and a damaged file is refused, not guessed. */
class RaftStateTest {
    @TempDir
    Path dir;

    @Test
    void aFreshDirectoryStartsAtTermZeroWithNoVote() throws IOException {
        RaftState state = RaftState.load(dir);
        assertEquals(0, state.term());
        assertEquals(Optional.empty(), state.votedFor());
        assertEquals(0, state.snapshotIndex());
    }

    @Test
    void whatWasSavedIsWhatALaterLoadSees() throws IOException {
        RaftState state = RaftState.load(dir);
        state.saveTermAndVote(7, "n2");
        state.saveSnapshot(1234, 6);
        RaftState reloaded = RaftState.load(dir);
        assertEquals(7, reloaded.term());
        assertEquals(Optional.of("n2"), reloaded.votedFor());
        assertEquals(1234, reloaded.snapshotIndex());
        assertEquals(6, reloaded.snapshotTerm());
        reloaded.saveTermAndVote(8, null);
        assertEquals(Optional.empty(), RaftState.load(dir).votedFor());
        assertTrue(Files.notExists(dir.resolve(RaftState.FILE_NAME + ".tmp")), "the temporary file was renamed");
    }

    @Test
    void aFlippedBitIsRefusedNamingTheFile() throws IOException {
        RaftState.load(dir).saveTermAndVote(3, "n1");
        Path file = dir.resolve(RaftState.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[12] ^= 0x01; // inside the term
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> RaftState.load(dir));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        RaftState.load(dir).saveTermAndVote(3, "n1");
        Path file = dir.resolve(RaftState.FILE_NAME);
        Files.write(file, new byte[] {1, 2});
        IOException e = assertThrows(IOException.class, () -> RaftState.load(dir));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
