package io.cellwatch.extension.display;

import io.cellwatch.contract.TopicResolver;
import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the display file (docs/api.md, "Units and names"), collecting every problem with its line and, where it is
 * about one, the field. Single use; not thread-safe.
 */
final class DisplayFileParser {

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@~-]{1,64}");
    private static final Pattern RANGE = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\.\\.(-?\\d+(?:\\.\\d+)?)");
    /** Per tenant: a bound on what one block can make every answer carry. */
    static final int MAX_METRICS = 500;
    static final int MAX_LEVELS = 64;
    private static final int MAX_UNIT = 16;
    private static final int MAX_LABEL = 64;
    private static final int MAX_DECIMALS = 6;

    private final Path file;
    private final List<FileProblem> problems = new ArrayList<>();
    private final Map<String, Block> tenants = new LinkedHashMap<>();
    private Block tenant;
    private boolean inTenant;

    private static final class Block {
        final int line;
        final Map<String, MetricDisplay> metrics = new LinkedHashMap<>();
        final Map<String, Integer> metricLines = new HashMap<>();
        final Map<String, String> levels = new LinkedHashMap<>();
        final Map<String, Integer> levelLines = new HashMap<>();

        Block(final int line) {
            this.line = line;
        }
    }

    /** A problem in a line; thrown inside one line's parsing only. */
    private static final class LineProblem extends Exception {
        private static final long serialVersionUID = 1L;

        LineProblem(final String message) {
            super(message, null, false, false);
        }
    }

    DisplayFileParser(final Path file) {
        this.file = file;
    }

    DisplayFile parse(final String content) throws InvalidFileException {
        final String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            try {
                final List<String> tokens = tokens(lines[i]);
                if (!tokens.isEmpty()) {
                    parseLine(i + 1, tokens);
                }
            } catch (final LineProblem problem) {
                problems.add(new FileProblem(file, i + 1, problem.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFileException(problems);
        }
        final Map<String, DisplayTable> out = new LinkedHashMap<>();
        tenants.forEach((id, block) -> out.put(id, new DisplayTable(block.metrics, block.levels)));
        return new DisplayFile(file, out);
    }

    /** Words separated by spaces; {@code "…"} is one word (no quotes inside); {@code #} starts a comment. */
    private static List<String> tokens(final String line) throws LineProblem {
        final List<String> out = new ArrayList<>();
        int i = 0;
        final int n = line.length();
        while (i < n) {
            final char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                final int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    throw new LineProblem("a quoted text is not closed with '\"'");
                }
                out.add(line.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < n && !Character.isWhitespace(line.charAt(end))) {
                    end++;
                }
                out.add(line.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    private void parseLine(final int line, final List<String> tokens) throws LineProblem {
        switch (tokens.get(0)) {
            case "tenant" -> startTenant(line, tokens);
            case "metric" -> metric(line, tokens);
            case "level" -> level(line, tokens);
            default -> throw new LineProblem("unknown keyword '" + tokens.get(0)
                    + "' (expected tenant, metric or level)");
        }
    }

    private void startTenant(final int line, final List<String> args) throws LineProblem {
        tenant = null;
        inTenant = true;
        if (args.size() != 2) {
            throw new LineProblem(args.size() == 1 ? "'tenant' needs a tenant id" : "'tenant' takes exactly one id");
        }
        final String id = args.get(1);
        if (!TENANT.matcher(id).matches()) {
            throw new LineProblem("bad tenant id '" + id + "': use letters, digits, '_' and '-'");
        }
        final Block previous = tenants.get(id);
        if (previous != null) {
            throw new LineProblem("tenant '" + id + "' is already declared at line " + previous.line);
        }
        tenant = new Block(line);
        tenants.put(id, tenant);
    }

    private Block currentTenant(final String keyword) throws LineProblem {
        if (!inTenant) {
            throw new LineProblem("'" + keyword + "' must be inside a tenant block (start one with 'tenant <id>')");
        }
        return tenant;
    }

    /** {@code metric <name> [label "<text>"] [unit <text>] [decimals <n>] [scale <x>] [range <min>..<max>]}. */
    private void metric(final int line, final List<String> tokens) throws LineProblem {
        final Block in = currentTenant("metric");
        if (tokens.size() < 2) {
            throw new LineProblem("'metric' needs a metric name and at least one field, e.g. "
                    + "'metric voltage unit V decimals 3'");
        }
        final String name = name("metric", tokens.get(1));
        if (tokens.size() < 4) {
            throw new LineProblem("'metric " + name + "' needs at least one field (label, unit, decimals, scale or "
                    + "range) with its value");
        }
        String label = null;
        String unit = null;
        Integer decimals = null;
        Double scale = null;
        Double min = null;
        Double max = null;
        final List<String> seen = new ArrayList<>();
        for (int i = 2; i < tokens.size(); i += 2) {
            final String field = tokens.get(i);
            if (i + 1 >= tokens.size()) {
                throw new LineProblem("field " + field + ": has no value");
            }
            if (seen.contains(field)) {
                throw new LineProblem("field " + field + ": given twice");
            }
            seen.add(field);
            final String value = tokens.get(i + 1);
            switch (field) {
                case "label" -> label = text("label", value, MAX_LABEL);
                case "unit" -> unit = text("unit", value, MAX_UNIT);
                case "decimals" -> decimals = decimals(value);
                case "scale" -> scale = scale(value);
                case "range" -> {
                    final Matcher m = RANGE.matcher(value);
                    if (!m.matches()) {
                        throw new LineProblem("field range: '" + value + "' is not <min>..<max>, e.g. 2.5..4.3");
                    }
                    min = Double.parseDouble(m.group(1));
                    max = Double.parseDouble(m.group(2));
                    if (!(min < max)) {
                        throw new LineProblem("field range: the minimum " + m.group(1)
                                + " must be below the maximum " + m.group(2));
                    }
                }
                default -> throw new LineProblem("unknown field '" + field
                        + "' (expected label, unit, decimals, scale or range)");
            }
        }
        if (in == null) {
            return;
        }
        final Integer previous = in.metricLines.get(name);
        if (previous != null) {
            throw new LineProblem("metric '" + name + "' is already set at line " + previous);
        }
        if (in.metrics.size() >= MAX_METRICS) {
            throw new LineProblem("more than " + MAX_METRICS + " metrics in one tenant block");
        }
        in.metricLines.put(name, line);
        in.metrics.put(name, new MetricDisplay(label, unit, decimals, scale, min, max));
    }

    /** {@code level <name> "<display name>"}: how a heading names one node of that level. */
    private void level(final int line, final List<String> tokens) throws LineProblem {
        final Block in = currentTenant("level");
        if (tokens.size() != 3) {
            throw new LineProblem("'level' takes a level name and its display name, e.g. 'level packs \"Battery "
                    + "pack\"'");
        }
        final String name = name("level", tokens.get(1));
        final String display = text("name", tokens.get(2), MAX_LABEL);
        if (in == null) {
            return;
        }
        final Integer previous = in.levelLines.get(name);
        if (previous != null) {
            throw new LineProblem("level '" + name + "' is already named at line " + previous);
        }
        if (in.levels.size() >= MAX_LEVELS) {
            throw new LineProblem("more than " + MAX_LEVELS + " levels in one tenant block");
        }
        in.levelLines.put(name, line);
        in.levels.put(name, display);
    }

    private static String name(final String keyword, final String text) throws LineProblem {
        if (!NAME.matcher(text).matches()) {
            throw new LineProblem("field name: '" + text + "' must be 1-64 characters of [A-Za-z0-9_.:@~-]");
        }
        if (TopicResolver.RESERVED_NAMES.contains(text)) {
            throw new LineProblem("field name: '" + text + "' is a reserved name, never a " + keyword);
        }
        return text;
    }

    private static String text(final String field, final String text, final int max) throws LineProblem {
        if (text.isBlank() || text.length() > max) {
            throw new LineProblem("field " + field + ": 1-" + max + " characters, got " + text.length());
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new LineProblem("field " + field + ": no control characters");
        }
        return text;
    }

    private static int decimals(final String text) throws LineProblem {
        try {
            final int n = Integer.parseInt(text);
            if (n >= 0 && n <= MAX_DECIMALS) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new LineProblem("field decimals: '" + text + "' must be a whole number from 0 to " + MAX_DECIMALS);
    }

    private static double scale(final String text) throws LineProblem {
        try {
            final double x = Double.parseDouble(text);
            if (Double.isFinite(x) && x != 0) {
                return x;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new LineProblem("field scale: '" + text + "' must be a number other than 0");
    }
}
