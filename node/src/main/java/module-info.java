module org.modkv.node {
    requires transitive org.modkv.api;
    requires dagger;
    requires jakarta.inject;
    requires HdrHistogram;
}
