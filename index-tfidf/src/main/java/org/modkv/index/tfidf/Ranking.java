package org.modkv.index.tfidf;

import java.util.List;
import org.modkv.api.index.ScoredKey;

/**
 * What a scorer found.
 *
 * @param hits the page asked for, best first
 * @param scored how many documents were scored in full (the work done; at least the hits kept)
 * @param matches how many documents have a positive score of at least the minimum, or -1 when
 *     the scorer skipped documents and so cannot tell
 */
record Ranking(List<ScoredKey> hits, long scored, long matches) {
}
