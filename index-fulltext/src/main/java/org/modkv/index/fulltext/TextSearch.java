package org.modkv.index.fulltext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;

/**
 * The {@code search} operation: the arguments joined by spaces are parsed with Lucene's
 * {@link SimpleQueryParser} (which never throws on user syntax), matched against text documents,
 * ranked by BM25 with ties broken by key. Option {@code mode}: {@code all} (the default: every
 * word must match) or {@code any}. See docs/design/fulltext.md, "Query syntax".
 */
final class TextSearch {
    static final String OPERATION = "search";
    static final String MODE = "mode";
    private static final Set<String> OPTIONS = Set.of(MODE, IndexQuery.OFFSET, IndexQuery.LIMIT);
    /** Best score first, then key in unsigned byte order (BytesRef order). */
    private static final Sort BY_SCORE_THEN_KEY = new Sort(SortField.FIELD_SCORE,
            new SortField(IndexedDocument.KEY, SortField.Type.STRING));

    private static final Query TEXT_DOCUMENTS = new TermQuery(new Term(IndexedDocument.KIND, IndexedDocument.KIND_TEXT));

    private final Analyzer analyzer;
    private final FulltextOptions config;

    TextSearch(Analyzer analyzer, FulltextOptions config) {
        this.analyzer = analyzer;
        this.config = config;
    }

    /** The Lucene query for {@code text}, or a {@link MatchNoDocsQuery} if it has no words left after analysis. */
    Query parse(String text, boolean all) {
        SimpleQueryParser parser = new SimpleQueryParser(analyzer, IndexedDocument.TEXT);
        parser.setDefaultOperator(all ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD);
        Query parsed = parser.parse(text);
        if (parsed == null || parsed instanceof MatchNoDocsQuery) {
            return new MatchNoDocsQuery("no words in the query");
        }
        // Only text documents have terms in the text field, so a query of terms, phrases and
        // prefixes on it matches text documents only, and needs no filter on the kind (which would
        // cost every query an intersection and keep counts from reading document frequencies). A
        // query with a match-all part (the parser's form of "-word" alone) gets the filter.
        if (!matchesAll(parsed)) {
            return parsed;
        }
        return new BooleanQuery.Builder()
                .add(parsed, BooleanClause.Occur.MUST)
                .add(TEXT_DOCUMENTS, BooleanClause.Occur.FILTER)
                .build();
    }

    private static boolean matchesAll(Query query) {
        boolean[] found = new boolean[1];
        query.visit(new QueryVisitor() {
            @Override
            public void visitLeaf(Query leaf) {
                found[0] |= leaf instanceof MatchAllDocsQuery;
            }

            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        return found[0];
    }

    /**
     * @throws ModkvException {@code INVALID_REQUEST} for an unknown option or a bad value
     */
    IndexResult run(IndexQuery query, IndexSearcher searcher) throws IOException {
        QueryOptions.check(query, OPTIONS);
        boolean all = mode(query.options());
        Paging paging = Paging.from(query.options(), config);
        int window = Math.max(1, Math.min(paging.window(), searcher.getIndexReader().maxDoc()));
        TopFieldDocs top;
        long total;
        try { // the clause limit is checked while the query is built and again when it is rewritten
            Query lucene = parse(String.join(" ", query.arguments()), all);
            if (lucene instanceof MatchNoDocsQuery) {
                return IndexResult.empty();
            }
            // Hits are counted exactly only up to the window, so that Lucene may skip documents
            // that cannot enter the top (block-max WAND over score impacts); past it, a separate
            // count, which scores nothing (and reads only document counts where it can), gives the
            // exact total. See docs/design/fulltext.md, "Ranking and totals".
            top = searcher.search(lucene, new TopFieldCollectorManager(BY_SCORE_THEN_KEY, window, null, window));
            total = top.totalHits.relation == TotalHits.Relation.EQUAL_TO ? top.totalHits.value : searcher.count(lucene);
        } catch (IndexSearcher.TooManyClauses e) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "the query is too large: it has more than "
                    + IndexSearcher.getMaxClauseCount() + " words and operators after analysis; use fewer");
        }
        ScoreDoc[] docs = top.scoreDocs;
        List<ScoredKey> hits = new ArrayList<>(Math.max(0, Math.min(paging.limit(), docs.length - paging.offset())));
        StoredFields stored = searcher.storedFields();
        for (int i = paging.offset(); i < docs.length && hits.size() < paging.limit(); i++) {
            FieldDoc doc = (FieldDoc) docs[i];
            float score = (Float) doc.fields[0];
            hits.add(new ScoredKey(StoredKeys.key(stored, doc.doc), score));
        }
        return new IndexResult(hits, total);
    }

    private static boolean mode(Map<String, String> options) {
        String mode = options.getOrDefault(MODE, "all").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "all" -> true;
            case "any" -> false;
            default -> throw new ModkvException(ErrorCode.INVALID_REQUEST, "mode '" + options.get(MODE)
                    + "' is not allowed; use all (every word) or any (at least one word)");
        };
    }
}
