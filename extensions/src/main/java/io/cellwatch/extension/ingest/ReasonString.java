package io.cellwatch.extension.ingest;

/**
 * Makes text safe to send as an MQTT 5 reason string: the spec forbids U+0000 and ill-formed UTF-16/UTF-8
 * [MQTT-1.5.4-1, -2] and strict clients drop the whole packet over one such character, so a message that quotes a
 * client's bytes keeps only printable characters (others become {@code ?}, a BOM or unpaired surrogate included)
 * and at most {@link #MAX_CHARS} of them. Stateless and thread-safe.
 */
public final class ReasonString {

    /** Longest reason string sent, in characters (an ellipsis included). */
    public static final int MAX_CHARS = 100;

    private static final char REPLACEMENT = '?';
    private static final char ELLIPSIS = '\u2026';

    private ReasonString() {
    }

    /** {@code text} with every unsafe character replaced and cut to {@link #MAX_CHARS}. */
    public static String of(final String text) {
        final int length = text.length();
        final StringBuilder out = new StringBuilder(Math.min(length, MAX_CHARS));
        for (int i = 0; i < length; i++) {
            if (out.length() == MAX_CHARS - 1 && i < length - 1) {
                out.append(ELLIPSIS);
                return out.toString();
            }
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out.length() + 2 > MAX_CHARS - 1 && i + 2 < length) {
                    out.append(ELLIPSIS);
                    return out.toString();
                }
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                out.appendCodePoint(safe(codePoint) ? codePoint : REPLACEMENT);
            } else {
                out.append(safe(c) && !Character.isSurrogate(c) ? c : REPLACEMENT);
            }
        }
        return out.toString();
    }

    /** Printable: no control character (C0, DEL, C1), no BOM or other format character, no non-character. */
    private static boolean safe(final int codePoint) {
        final int type = Character.getType(codePoint);
        return !Character.isISOControl(codePoint)
                && type != Character.FORMAT
                && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE
                && (codePoint & 0xFFFE) != 0xFFFE;
    }
}
