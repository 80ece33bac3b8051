module org.modkv.distribution {
    requires org.modkv.node;
    requires org.modkv.client;
    requires info.picocli;
    requires org.jline;
}
