module org.modkv.bench {
    requires org.modkv.client;
    requires HdrHistogram;
}
