package org.modkv.transport.resp;

/**
 * Redis-style glob matching for {@code CONFIG GET} patterns: {@code *} any run, {@code ?} any
 * one character, {@code [abc]} / {@code [a-z]} / {@code [^a]} a class, {@code \x} a literal.
 */
final class GlobPattern {

    private GlobPattern() {
    }

    static boolean matches(String pattern, String text) {
        return matches(pattern, 0, text, 0);
    }

    private static boolean matches(String pattern, int p, String text, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            switch (c) {
                case '*':
                    while (p + 1 < pattern.length() && pattern.charAt(p + 1) == '*') {
                        p++;
                    }
                    for (int from = t; from <= text.length(); from++) {
                        if (matches(pattern, p + 1, text, from)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (t == text.length()) {
                        return false;
                    }
                    t++;
                    p++;
                    break;
                case '[': {
                    if (t == text.length()) {
                        return false;
                    }
                    int end = pattern.indexOf(']', p + 1);
                    if (end < 0) {
                        return false;
                    }
                    boolean negate = p + 1 < end && pattern.charAt(p + 1) == '^';
                    boolean found = false;
                    char target = text.charAt(t);
                    for (int i = p + (negate ? 2 : 1); i < end; i++) {
                        if (i + 2 < end && pattern.charAt(i + 1) == '-') {
                            found |= target >= pattern.charAt(i) && target <= pattern.charAt(i + 2);
                            i += 2;
                        } else {
                            found |= target == pattern.charAt(i);
                        }
                    }
                    if (found == negate) {
                        return false;
                    }
                    t++;
                    p = end + 1;
                    break;
                }
                default: {
                    if (c == '\\' && p + 1 < pattern.length()) {
                        p++; // an escaped character matches itself
                        c = pattern.charAt(p);
                    }
                    if (t == text.length() || text.charAt(t) != c) {
                        return false;
                    }
                    t++;
                    p++;
                }
            }
        }
        return t == text.length();
    }
}
