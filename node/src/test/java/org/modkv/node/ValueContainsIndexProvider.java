package org.modkv.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.modkv.api.ApiVersion;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteBatch;

/**
 * A test index answering {@code contains TEXT}: keys whose value contains the text, in key order,
 * with {@code offset} and {@code limit}. Kept in memory (a restart rebuilds it); passes
 * {@link org.modkv.testkit.index.IndexContract}.
 */
final class ValueContainsIndexProvider implements IndexProvider {

    @Override
    public String name() {
        return "contains";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public Index open(IndexContext context) {
        return new Index() {
            private final Map<ByteBuffer, String> values = new ConcurrentHashMap<>();
            private volatile long applied;

            @Override
            public void apply(long sequence, WriteBatch batch) {
                batch.forEach((type, buf, ko, kl, vo, vl, mo, ml) -> {
                    ByteBuffer key = ByteBuffer.wrap(java.util.Arrays.copyOfRange(buf, ko, ko + kl));
                    if (type == MutationType.PUT) {
                        values.put(key, new String(buf, vo, vl, StandardCharsets.UTF_8));
                    } else {
                        values.remove(key);
                    }
                });
                applied = sequence;
            }

            @Override
            public long appliedSequence() {
                return applied;
            }

            @Override
            public void clear() {
                values.clear();
                applied = 0;
            }

            @Override
            public IndexResult query(IndexQuery query) {
                if (!query.operation().equals("contains")) {
                    throw new ModkvException(ErrorCode.INVALID_REQUEST, "unknown operation " + query.operation());
                }
                if (query.arguments().size() != 1) {
                    throw new ModkvException(ErrorCode.INVALID_REQUEST, "contains takes one argument, the text");
                }
                String needle = query.arguments().get(0);
                int offset = Integer.parseInt(query.options().getOrDefault(IndexQuery.OFFSET, "0"));
                int limit = Integer.parseInt(query.options().getOrDefault(IndexQuery.LIMIT, "1000"));
                // distinct: a weakly consistent iteration may meet a key removed and put again twice
                List<byte[]> matching = values.entrySet().stream().filter(e -> e.getValue().contains(needle))
                        .map(Map.Entry::getKey).distinct().map(ByteBuffer::array)
                        .sorted(java.util.Arrays::compareUnsigned).toList();
                List<ScoredKey> hits = matching.stream().skip(offset).limit(limit).map(key -> new ScoredKey(key, 1.0))
                        .toList();
                return new IndexResult(hits, matching.size());
            }

            @Override
            public void close() {
            }
        };
    }
}
