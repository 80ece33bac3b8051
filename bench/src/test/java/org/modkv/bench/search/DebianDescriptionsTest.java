package org.modkv.bench.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianDescriptionsTest {
    private static final String STANZAS = """
            Package: vim
            Version: 2:9.0
            Depends: vim-common,
             vim-runtime
            Description: Vi IMproved - enhanced vi editor
             Vim is an almost compatible version of the UNIX editor Vi.
             .
             Many new features have been added.
            Homepage: https://www.vim.org/
            Description-md5: 59e8b8f7757db8b53566d5d119872de8
            Tag: devel::editor,
             role::program

            Package: no-description
            Version: 1

            Package: 0ad
            Description: Real-time strategy game of ancient warfare

            Package: vim
            Description: a later stanza of the same package wins
            """;

    private static List<CorpusDocument> documents(Corpus corpus) {
        List<CorpusDocument> all = new ArrayList<>();
        corpus.documents().forEachRemaining(all::add);
        return all;
    }

    @Test
    void eachPackageDescriptionWithItsContinuationLinesIsOneDocumentKeyedByPackage() throws IOException {
        DebianDescriptions corpus = DebianDescriptions.read(new StringReader(
                STANZAS.substring(0, STANZAS.indexOf("\nPackage: vim\nDescription: a later"))));
        List<CorpusDocument> all = documents(corpus);
        assertEquals(new CorpusDocument("vim", "Vi IMproved - enhanced vi editor\n"
                + "Vim is an almost compatible version of the UNIX editor Vi.\n"
                + "\n"
                + "Many new features have been added."), all.get(0),
                "first line, continuation lines, ' .' as an empty line; other fields' continuations left out");
        assertEquals(new CorpusDocument("0ad", "Real-time strategy game of ancient warfare"), all.get(1));
        assertEquals(2, corpus.size(), "a stanza without Description is no document");
    }

    @Test
    void aPackageListedTwiceKeepsItsLastDescriptionAtItsFirstPlace() throws IOException {
        List<CorpusDocument> all = documents(DebianDescriptions.read(new StringReader(STANZAS)));
        assertEquals(List.of("vim", "0ad"), all.stream().map(CorpusDocument::key).toList());
        assertEquals("a later stanza of the same package wins", all.get(0).text());
    }

    @Test
    void theLastStanzaNeedsNoTrailingBlankLineAndCrLfLinesWork() throws IOException {
        String text = "Package: a\r\nDescription: first\r\n second\r\n\r\nPackage: b\r\nDescription: only";
        assertEquals(List.of(new CorpusDocument("a", "first\nsecond"), new CorpusDocument("b", "only")),
                documents(DebianDescriptions.read(new StringReader(text))));
    }

    @Test
    void noPackageWithADescriptionIsAClearError(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "Package: x\nVersion: 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DebianDescriptions.read(empty));
        assertTrue(e.getMessage().contains("no package stanza") && e.getMessage().contains(empty.toString()), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DebianDescriptions.read(dir.resolve("absent.txt")));
        assertTrue(missing.getMessage().contains("apt-cache dumpavail"), missing.getMessage());
    }
}
