package io.cellwatch.extension.alerts;

import io.cellwatch.contract.TopicResolver;
import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the alert rules file (docs/alerts.md), collecting every problem with its line and, where it is about one,
 * the field. Single use; not thread-safe.
 */
final class AlertRulesParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9_.:@~-]{1,64}");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final int MIN_SECRET = 16;
    private static final int MAX_WINDOW = 10_000;
    private static final int DEFAULT_WINDOW = 60;

    private final Path file;
    private final List<FileProblem> problems = new ArrayList<>();
    private final Map<String, TenantBuilder> tenants = new LinkedHashMap<>();
    private TenantBuilder tenant;
    private boolean inTenant;

    private static final class TenantBuilder {
        final String id;
        final int line;
        final Map<String, AlertRule> rules = new LinkedHashMap<>();
        WebhookTarget webhook;
        int webhookLine;

        TenantBuilder(final String id, final int line) {
            this.id = id;
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

    AlertRulesParser(final Path file) {
        this.file = file;
    }

    AlertRules parse(final String content) throws InvalidFileException {
        final String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                parseLine(i + 1, line.split("\\s+"));
            } catch (final LineProblem problem) {
                problems.add(new FileProblem(file, i + 1, problem.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFileException(problems);
        }
        final Map<String, TenantAlerts> out = new LinkedHashMap<>();
        tenants.values().forEach(t -> out.put(t.id,
                new TenantAlerts(t.id, Optional.ofNullable(t.webhook), List.copyOf(t.rules.values()))));
        return new AlertRules(file, out);
    }

    private void parseLine(final int line, final String[] tokens) throws LineProblem {
        switch (tokens[0]) {
            case "tenant" -> startTenant(line, withoutComment(tokens, 1));
            case "webhook" -> webhook(line, withoutComment(tokens, 1));
            case "alert" -> alert(line, tokens);
            default -> throw new LineProblem("unknown keyword '" + tokens[0] + "' (expected tenant, webhook or alert)");
        }
    }

    /** Drops a trailing {@code # comment} starting at or after {@code from}. */
    private static String[] withoutComment(final String[] tokens, final int from) {
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i].startsWith("#")) {
                return Arrays.copyOf(tokens, i);
            }
        }
        return tokens;
    }

    private void startTenant(final int line, final String[] args) throws LineProblem {
        tenant = null;
        inTenant = true;
        if (args.length != 2) {
            throw new LineProblem(args.length == 1 ? "'tenant' needs a tenant id" : "'tenant' takes exactly one id");
        }
        final String id = args[1];
        if (!TENANT.matcher(id).matches()) {
            throw new LineProblem("bad tenant id '" + id + "': use letters, digits, '_' and '-'");
        }
        final TenantBuilder previous = tenants.get(id);
        if (previous != null) {
            throw new LineProblem("tenant '" + id + "' is already declared at line " + previous.line);
        }
        tenant = new TenantBuilder(id, line);
        tenants.put(id, tenant);
    }

    private TenantBuilder currentTenant(final String keyword) throws LineProblem {
        if (!inTenant) {
            throw new LineProblem("'" + keyword + "' must be inside a tenant block (start one with 'tenant <id>')");
        }
        return tenant;
    }

    /** {@code webhook <url> secret <secret>}. */
    private void webhook(final int line, final String[] args) throws LineProblem {
        final TenantBuilder in = currentTenant("webhook");
        if (args.length != 4 || !args[2].equals("secret")) {
            throw new LineProblem("'webhook' takes a URL and a secret: 'webhook https://host/path secret <secret>'");
        }
        final URI url;
        try {
            url = new URI(args[1]);
        } catch (final URISyntaxException e) {
            throw new LineProblem("field url: '" + args[1] + "' is not a URL: " + e.getReason());
        }
        final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new LineProblem("field url: '" + args[1] + "' must be an absolute http:// or https:// URL");
        }
        if (args[3].length() < MIN_SECRET) {
            throw new LineProblem("field secret: at least " + MIN_SECRET + " characters, got " + args[3].length());
        }
        if (in == null) {
            return;
        }
        if (in.webhook != null) {
            throw new LineProblem("tenant '" + in.id + "' already has a webhook at line " + in.webhookLine);
        }
        in.webhook = new WebhookTarget(url, args[3]);
        in.webhookLine = line;
    }

    /**
     * {@code alert <name> <kind> [<aggregate>] <pattern> <op> <level> [option value]…}; the pattern may be {@code #}
     * itself, so a comment is only cut after it.
     */
    private void alert(final int line, final String[] all) throws LineProblem {
        final TenantBuilder in = currentTenant("alert");
        if (all.length < 3) {
            throw new LineProblem("'alert' needs a name, a kind, a pattern, a comparison and a level, e.g. "
                    + "'alert cell-hot threshold plants/+/cells/+/temperature > 45'");
        }
        final String name = all[1];
        if (!NAME.matcher(name).matches()) {
            throw new LineProblem("field name: '" + name + "' must be 1-40 letters, digits, '_' or '-'");
        }
        final RuleKind kind = RuleKind.ofWord(all[2]);
        if (kind == null) {
            throw new LineProblem("field kind: unknown kind '" + all[2]
                    + "' (expected threshold, rate, stale, aggregate, zscore, resistance-outlier, soh-below or "
                    + "spread-trend)");
        }
        int at = 3;
        Aggregate aggregate = null;
        if (kind == RuleKind.AGGREGATE) {
            aggregate = all.length > at ? Aggregate.ofWord(all[at]) : null;
            if (aggregate == null) {
                throw new LineProblem("field function: an aggregate rule needs spread, min, max or mean after "
                        + "'aggregate'");
            }
            at++;
        }
        final String[] tokens = withoutComment(all, at + 1);
        if (tokens.length < at + 3) {
            throw new LineProblem("'alert " + name + "' needs a pattern, a comparison ('>' or '<') and a level");
        }
        final SeriesPattern pattern = pattern(tokens[at], kind);
        final Comparison comparison = Comparison.ofSymbol(tokens[at + 1]);
        if (comparison == null) {
            throw new LineProblem("field comparison: '" + tokens[at + 1] + "' must be '>' or '<'");
        }
        if (comparison == Comparison.BELOW && (kind == RuleKind.STALE || kind == RuleKind.ZSCORE
                || kind == RuleKind.RESISTANCE_OUTLIER || kind == RuleKind.SPREAD_TREND)) {
            throw new LineProblem("field comparison: a " + kind.word() + " rule only takes '>'");
        }
        if (comparison == Comparison.ABOVE && kind == RuleKind.SOH_BELOW) {
            throw new LineProblem("field comparison: a soh-below rule only takes '<'");
        }
        final double trigger = level(kind, "level", tokens[at + 2]);
        double clear = trigger;
        long hold = 0;
        long clearHold = 0;
        long reraise = 0;
        int window = kind == RuleKind.ZSCORE ? DEFAULT_WINDOW : 0;
        double ratedAh = 0;
        Severity severity = Severity.WARNING;
        final List<String> seen = new ArrayList<>();
        for (int i = at + 3; i < tokens.length; i += 2) {
            final String option = tokens[i];
            if (i + 1 >= tokens.length) {
                throw new LineProblem("field " + option + ": has no value");
            }
            if (seen.contains(option)) {
                throw new LineProblem("field " + option + ": given twice");
            }
            seen.add(option);
            final String value = tokens[i + 1];
            switch (option) {
                case "clear" -> clear = level(kind, "clear", value);
                case "hold" -> hold = millis("hold", value);
                case "clear-hold" -> clearHold = millis("clear-hold", value);
                case "reraise" -> reraise = millis("reraise", value);
                case "severity" -> {
                    severity = Severity.ofWord(value);
                    if (severity == null) {
                        throw new LineProblem("field severity: '" + value
                                + "' (expected critical, major, minor, warning or info)");
                    }
                }
                case "window" -> {
                    if (kind != RuleKind.ZSCORE) {
                        throw new LineProblem("field window: only a zscore rule has a window");
                    }
                    window = count("window", value);
                }
                case "rated" -> {
                    if (kind != RuleKind.SOH_BELOW) {
                        throw new LineProblem("field rated: only a soh-below rule has a rated capacity");
                    }
                    ratedAh = positive("rated", value);
                }
                default -> throw new LineProblem("unknown field '" + option
                        + "' (expected severity, clear, hold, clear-hold, reraise, window or rated)");
            }
        }
        if (kind == RuleKind.SOH_BELOW && ratedAh == 0) {
            throw new LineProblem("field rated: a soh-below rule needs the packs' rated capacity in Ah, e.g. "
                    + "'rated 280'");
        }
        if (!comparison.validClear(trigger, clear)) {
            throw new LineProblem("field clear: " + tokens[at + 1] + " " + tokens[at + 2] + " must clear at or "
                    + (comparison == Comparison.ABOVE ? "below" : "above") + " its level, not at " + clear);
        }
        if (in == null) {
            return;
        }
        final AlertRule previous = in.rules.get(name);
        if (previous != null) {
            throw new LineProblem("alert '" + name + "' is already defined in tenant '" + in.id + "' at line "
                    + previous.line());
        }
        final String definition = String.join(" ", Arrays.copyOfRange(tokens, 2, tokens.length));
        in.rules.put(name, new AlertRule(in.id, name, kind, aggregate, pattern, comparison, trigger, clear, hold,
                clearHold, reraise, window, ratedAh, severity, line, definition));
    }

    private static SeriesPattern pattern(final String text, final RuleKind kind) throws LineProblem {
        if (text.startsWith(TopicResolver.ROOT + "/")) {
            throw new LineProblem("field pattern: '" + text + "' is relative to the tenant: leave out 'tenants/<id>/'");
        }
        final String[] levels = text.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            final String level = levels[i];
            if (level.equals("#")) {
                if (i != levels.length - 1) {
                    throw new LineProblem("field pattern: '#' may only be the last level of '" + text + "'");
                }
            } else if (!level.equals("+") && !LEVEL.matcher(level).matches()) {
                throw new LineProblem("field pattern: level " + (i + 1) + " of '" + text + "' must be '+', '#' or "
                        + "1-64 characters of [A-Za-z0-9_.:@~-]");
            }
        }
        final boolean open = levels[levels.length - 1].equals("#");
        if (kind.analytics()) {
            if (open || levels.length % 2 == 1) {
                throw new LineProblem("field pattern: a " + kind.word() + " rule names packs, (level, id) pairs "
                        + "without a metric or '#', e.g. 'plants/+/racks/+/packs/+'");
            }
            return SeriesPattern.of(text);
        }
        if (!open && levels.length % 2 == 0) {
            throw new LineProblem("field pattern: '" + text + "' must end in a metric: (level, id) pairs, then the "
                    + "metric name");
        }
        if (kind == RuleKind.AGGREGATE && (open || levels.length < 3)) {
            throw new LineProblem("field pattern: an aggregate rule names the children's metric exactly, "
                    + "e.g. 'plants/+/packs/+/cells/+/voltage' (no '#')");
        }
        return SeriesPattern.of(text);
    }

    /** A level: a number, or for a stale rule a duration, in seconds. */
    private static double level(final RuleKind kind, final String field, final String text) throws LineProblem {
        if (kind == RuleKind.STALE) {
            return millis(field, text) / 1000.0;
        }
        try {
            final double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                if (kind == RuleKind.ZSCORE && value <= 0) {
                    throw new LineProblem("field " + field + ": a zscore level is a positive number of deviations");
                }
                return value;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new LineProblem("field " + field + ": '" + text + "' is not a number");
    }

    private static double positive(final String field, final String text) throws LineProblem {
        try {
            final double value = Double.parseDouble(text);
            if (Double.isFinite(value) && value > 0) {
                return value;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new LineProblem("field " + field + ": '" + text + "' is not a positive number");
    }

    private static long millis(final String field, final String text) throws LineProblem {
        final Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new LineProblem("field " + field + ": '" + text + "' is not a duration (e.g. 500ms, 30s, 5m, 1h)");
        }
        final double amount = Double.parseDouble(m.group(1));
        final long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return Math.round(amount * unit);
    }

    private static int count(final String field, final String text) throws LineProblem {
        try {
            final int n = Integer.parseInt(text);
            if (n >= 2 && n <= MAX_WINDOW) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new LineProblem("field " + field + ": '" + text + "' must be a whole number from 2 to " + MAX_WINDOW);
    }
}
