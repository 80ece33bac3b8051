package org.example.prefixindex;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteBatch;

/**
 * Values' leading characters in a sorted set of (text, key), so a prefix is a range scan.
 * Kept in memory: after a restart {@link #appliedSequence()} is 0 and the node replays the
 * data through {@link Index#resync}.
 *
 * <p>Threading: the node calls {@link #apply} and {@link #clear} from one thread and
 * {@link #query} from others, concurrently; both structures are concurrent, so a query sees
 * each key either before or after a change to it.
 */
final class PrefixIndex implements Index {
    private static final System.Logger LOG = System.getLogger(PrefixIndex.class.getName());

    /** One indexed value. Keys are held as ISO-8859-1 text: one char per byte, same order. */
    private record Entry(String text, String key) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byText = text.compareTo(other.text);
            return byText != 0 ? byText : key.compareTo(other.key);
        }
    }

    private final int maxChars;
    private final Map<String, String> textOfKey = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Entry> entries = new ConcurrentSkipListSet<>();
    private volatile long applied;

    PrefixIndex(int maxChars) {
        this.maxChars = maxChars;
    }

    @Override
    public void apply(long sequence, WriteBatch batch) {
        batch.forEach((type, buf, keyOffset, keyLength, valueOffset, valueLength, metaOffset, metaLength) -> {
            String key = new String(buf, keyOffset, keyLength, StandardCharsets.ISO_8859_1);
            String text = type == MutationType.PUT
                    ? leading(new String(buf, valueOffset, valueLength, StandardCharsets.UTF_8)) : null;
            String old = text == null ? textOfKey.remove(key) : textOfKey.put(key, text);
            if (text != null) {
                entries.add(new Entry(text, key));
            }
            if (old != null && !old.equals(text)) {
                entries.remove(new Entry(old, key));
            }
        });
        applied = sequence;
    }

    private String leading(String value) {
        return value.length() <= maxChars ? value : value.substring(0, maxChars);
    }

    @Override
    public long appliedSequence() {
        return applied;
    }

    @Override
    public void clear() {
        textOfKey.clear();
        entries.clear();
        applied = 0;
        LOG.log(System.Logger.Level.DEBUG, "prefix index cleared");
    }

    @Override
    public IndexResult query(IndexQuery query) {
        if (!query.operation().equals("prefix")) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "the prefix index answers 'prefix TEXT' only, not '"
                    + query.operation() + "'");
        }
        if (query.arguments().size() != 1) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "prefix takes one argument, the text values start with; got "
                    + query.arguments().size());
        }
        String prefix = query.arguments().get(0);
        if (prefix.length() > maxChars) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "prefix is " + prefix.length()
                    + " characters; this index keeps " + maxChars + " (prefix.max.chars)");
        }
        int offset = option(query, IndexQuery.OFFSET, 0, 0);
        int limit = option(query, IndexQuery.LIMIT, 100, 1);
        List<String> keys = new ArrayList<>();
        for (Entry entry : entries.tailSet(new Entry(prefix, ""))) {
            if (!entry.text().startsWith(prefix)) {
                break;
            }
            keys.add(entry.key());
        }
        // Key order, each key once (a change racing this scan may show a key under two texts).
        List<String> sorted = keys.stream().distinct().sorted().toList();
        List<ScoredKey> hits = sorted.stream().skip(offset).limit(limit)
                .map(key -> new ScoredKey(key.getBytes(StandardCharsets.ISO_8859_1), 1.0)).toList();
        return new IndexResult(hits, sorted.size());
    }

    private static int option(IndexQuery query, String name, int defaultValue, int min) {
        String text = query.options().get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ModkvException(ErrorCode.INVALID_REQUEST, name + " must be an integer >= " + min + ", was '" + text + "'");
    }

    @Override
    public Map<String, Object> stats() {
        return Map.of("keys", textOfKey.size());
    }

    @Override
    public void close() {
        clear();
    }
}
