package org.modkv.bench.search;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian package descriptions as a corpus, read from the output of {@code apt-cache dumpavail}
 * (Debian control-file stanzas separated by blank lines). Each package's {@code Description}
 * field, its first line plus its continuation lines, is one document keyed by the package name.
 * A continuation line that is only {@code .} stands for an empty line of the description.
 * A package listed twice keeps its last description, in the position of its first.
 */
public final class DebianDescriptions implements Corpus {
    private final List<CorpusDocument> documents;

    private DebianDescriptions(List<CorpusDocument> documents) {
        this.documents = List.copyOf(documents);
    }

    /**
     * Reads the stanzas in {@code file}.
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no package with a description
     */
    public static DebianDescriptions read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Debian package list " + file + ": " + e.getMessage()
                    + " (write one with: apt-cache dumpavail > FILE)", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + file, e);
        }
    }

    /**
     * Reads the stanzas {@code reader} yields.
     *
     * @throws IllegalArgumentException if it holds no package with a description
     */
    public static DebianDescriptions read(Reader reader) throws IOException {
        Map<String, String> byPackage = new LinkedHashMap<>();
        BufferedReader lines = reader instanceof BufferedReader buffered ? buffered : new BufferedReader(reader);
        String packageName = null;
        StringBuilder description = null;
        boolean inDescription = false;
        for (String line = lines.readLine(); ; line = lines.readLine()) {
            if (line == null || line.isBlank()) { // end of a stanza
                if (packageName != null && description != null) {
                    byPackage.put(packageName, description.toString());
                }
                packageName = null;
                description = null;
                inDescription = false;
                if (line == null) {
                    break;
                }
            } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') { // continuation of the field above
                if (inDescription) {
                    String text = line.strip();
                    description.append('\n').append(text.equals(".") ? "" : text);
                }
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).strip();
                inDescription = field.equals("Description");
                if (field.equals("Package")) {
                    packageName = value;
                } else if (inDescription) {
                    description = new StringBuilder(value);
                }
            }
        }
        if (byPackage.isEmpty()) {
            throw new IllegalArgumentException("no package stanza with a Package and a Description field was found");
        }
        List<CorpusDocument> documents = new ArrayList<>(byPackage.size());
        byPackage.forEach((name, text) -> documents.add(new CorpusDocument(name, text)));
        return new DebianDescriptions(documents);
    }

    @Override
    public String name() {
        return "debian";
    }

    @Override
    public long size() {
        return documents.size();
    }

    @Override
    public Iterator<CorpusDocument> documents() {
        return documents.iterator();
    }
}
