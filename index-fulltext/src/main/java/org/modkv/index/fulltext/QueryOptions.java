package org.modkv.index.fulltext;

import java.util.Set;
import java.util.TreeSet;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;

/** Checks that a query names only options its operation takes. */
final class QueryOptions {
    private QueryOptions() {
    }

    /**
     * @throws ModkvException {@code INVALID_REQUEST} naming the first unknown option and the allowed ones
     */
    static void check(IndexQuery query, Set<String> allowed) {
        for (String option : new TreeSet<>(query.options().keySet())) {
            if (!allowed.contains(option)) {
                throw new ModkvException(ErrorCode.INVALID_REQUEST, "fulltext " + query.operation()
                        + " takes no option '" + option + "'; allowed: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }
}
