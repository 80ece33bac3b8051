module org.modkv.testkit {
    requires transitive org.modkv.api;
    requires org.junit.jupiter.api;
    requires org.junit.jupiter.params;
}
