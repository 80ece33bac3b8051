/**
 * An index of value prefixes for modkv: {@code prefix TEXT} finds the keys whose value starts
 * with TEXT, in key order (autocomplete, lookups by code prefix). A plugin depends on
 * {@code org.modkv.api} and the JDK only; javac records the API version it was built against.
 */
module org.example.prefixindex {
    requires org.modkv.api;

    provides org.modkv.api.index.IndexProvider with org.example.prefixindex.PrefixIndexProvider;
}
