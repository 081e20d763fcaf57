package io.cellwatch.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, as a scraper reads {@code /metrics}: every sample
 * belongs to a family declared by {@code # TYPE} before it, carries only the suffixes its type allows, has
 * well-formed labels and a number. Anything else is an {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its name, type, help and samples. */
    record Family(String name, String type, String help, List<Sample> samples) {

        /** The value of the sample {@code name} with exactly {@code labels}, if present. */
        Optional<Double> value(final String sampleName, final Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(sampleName) && s.labels().equals(labels))
                    .map(Sample::value).findFirst();
        }
    }

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusText() {
    }

    /** The families of {@code text} by name, in order of appearance. */
    static Map<String, Family> parse(final String text) {
        final Map<String, Family> families = new LinkedHashMap<>();
        final Map<String, String> helps = new LinkedHashMap<>();
        Family current = null;
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i];
            final int number = i + 1;
            if (line.isEmpty()) {
                if (i != lines.length - 1) {
                    throw new IllegalArgumentException("line " + number + ": empty line");
                }
                continue;
            }
            if (line.startsWith("# HELP ")) {
                final String[] parts = line.substring(7).split(" ", 2);
                helps.put(parts[0], parts.length > 1 ? unescapeHelp(parts[1]) : "");
            } else if (line.startsWith("# TYPE ")) {
                final String[] parts = line.substring(7).split(" ");
                if (parts.length != 2 || !TYPES.contains(parts[1])) {
                    throw new IllegalArgumentException("line " + number + ": bad TYPE line: " + line);
                }
                if (families.containsKey(parts[0])) {
                    throw new IllegalArgumentException("line " + number + ": family " + parts[0] + " declared twice");
                }
                current = new Family(parts[0], parts[1], helps.get(parts[0]), new ArrayList<>());
                families.put(parts[0], current);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                final Sample sample = sample(line, number);
                if (current == null || !belongs(current, sample.name())) {
                    throw new IllegalArgumentException("line " + number + ": sample " + sample.name()
                            + " outside its family's TYPE block");
                }
                current.samples().add(sample);
            }
        }
        return families;
    }

    private static boolean belongs(final Family family, final String sampleName) {
        final String base = family.name();
        return switch (family.type()) {
            case "histogram" -> sampleName.equals(base + "_bucket") || sampleName.equals(base + "_count")
                    || sampleName.equals(base + "_sum");
            case "summary" -> sampleName.equals(base) || sampleName.equals(base + "_count")
                    || sampleName.equals(base + "_sum");
            default -> sampleName.equals(base);
        };
    }

    private static Sample sample(final String line, final int number) {
        int i = 0;
        while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
                || line.charAt(i) == ':')) {
            i++;
        }
        final String name = line.substring(0, i);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            throw new IllegalArgumentException("line " + number + ": bad metric name: " + line);
        }
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                final int eq = line.indexOf("=\"", i);
                if (eq < 0) {
                    throw new IllegalArgumentException("line " + number + ": bad label: " + line);
                }
                final String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    throw new IllegalArgumentException("line " + number + ": bad label name " + label);
                }
                final StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        j++;
                        c = switch (line.charAt(j)) {
                            case 'n' -> '\n';
                            case '\\' -> '\\';
                            case '"' -> '"';
                            default -> throw new IllegalArgumentException("line " + number + ": bad escape");
                        };
                    }
                    value.append(c);
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("line " + number + ": label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("line " + number + ": no value: " + line);
        }
        final String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("line " + number + ": trailing text: " + line);
        }
        return new Sample(name, labels, number(rest[0], number));
    }

    private static double number(final String text, final int line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (final NumberFormatException e) {
                    throw new IllegalArgumentException("line " + line + ": bad value " + text);
                }
            }
        };
    }

    private static String unescapeHelp(final String help) {
        return help.replace("\\n", "\n").replace("\\\\", "\\");
    }
}
