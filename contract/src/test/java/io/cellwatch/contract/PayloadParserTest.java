package io.cellwatch.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.cellwatch.contract.Rejections.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PayloadParserTest {

    private static final long TS = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();

    private final PayloadParser parser = new PayloadParser(65536);

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private ParsedPayload metric(final String payload) throws Rejection {
        return parser.parseMetric(utf8(payload));
    }

    private ParsedPayload node(final String payload) throws Rejection {
        return parser.parseNode(utf8(payload));
    }

    private Rejection metricRejection(final String payload) {
        return rejected(() -> parser.parseMetric(utf8(payload)));
    }

    private Rejection nodeRejection(final String payload) {
        return rejected(() -> parser.parseNode(utf8(payload)));
    }

    // --- metric leaf: bare numbers ------------------------------------------------------------------------------

    @Test
    void parsesBareDecimal() throws Rejection {
        final ParsedPayload parsed = metric("3.671");

        assertThat(parsed.values()).containsExactly(3.671);
        assertThat(parsed.names()).isNull();
    }

    @Test
    void bareNumberHasNoTsAndNoSeq() throws Rejection {
        final ParsedPayload parsed = metric("3.671");

        assertThat(parsed.ts()).isEqualTo(ParsedPayload.NO_TS);
        assertThat(parsed.seq()).isEqualTo(ParsedPayload.NO_SEQ);
    }

    @Test
    void parsesBareNumberSurroundedBySpaces() throws Rejection {
        assertThat(metric(" 42 ").values()).containsExactly(42.0);
    }

    @Test
    void parsesBareNumberSurroundedByLineBreaksAndTabs() throws Rejection {
        assertThat(metric("\t42\r\n").values()).containsExactly(42.0);
    }

    @Test
    void parsesNegativeExponent() throws Rejection {
        assertThat(metric("-1e3").values()).containsExactly(-1000.0);
    }

    @Test
    void parsesExplicitPlusSignAndUpperCaseExponent() throws Rejection {
        assertThat(metric("+2.5E-1").values()).containsExactly(0.25);
    }

    @Test
    void parsingDoesNotConsumeTheBuffer() throws Rejection {
        final ByteBuffer payload = utf8("3.5");

        parser.parseMetric(payload);

        assertThat(payload.remaining()).isEqualTo(3);
    }

    @Test
    void parsesOnlyTheRemainingBytesOfTheBuffer() throws Rejection {
        final ByteBuffer payload = utf8("xx7.5");
        payload.position(2);

        assertThat(parser.parseMetric(payload).values()).containsExactly(7.5);
    }

    // --- metric leaf: objects -----------------------------------------------------------------------------------

    @Test
    void parsesMetricObjectWithTsAndSeq() throws Rejection {
        final ParsedPayload parsed = metric("{\"v\":3.671,\"ts\":" + TS + ",\"seq\":42}");

        assertThat(parsed.values()).containsExactly(3.671);
        assertThat(parsed.names()).isNull();
        assertThat(parsed.ts()).isEqualTo(TS);
        assertThat(parsed.seq()).isEqualTo(42);
    }

    @Test
    void parsesMetricObjectWithOnlyV() throws Rejection {
        final ParsedPayload parsed = metric("{\"v\":-0.5}");

        assertThat(parsed.values()).containsExactly(-0.5);
        assertThat(parsed.ts()).isEqualTo(ParsedPayload.NO_TS);
        assertThat(parsed.seq()).isEqualTo(ParsedPayload.NO_SEQ);
    }

    @Test
    void parsesMetricObjectWithLeadingWhitespace() throws Rejection {
        assertThat(metric("  \n{\"v\":1}").values()).containsExactly(1.0);
    }

    @Test
    void metricObjectIgnoresOtherFields() throws Rejection {
        final ParsedPayload parsed = metric("{\"unit\":\"V\",\"v\":3.7,\"other\":9,\"extra\":{\"a\":1}}");

        assertThat(parsed.values()).containsExactly(3.7);
    }

    @Test
    void parsesIsoTs() throws Rejection {
        assertThat(metric("{\"v\":1,\"ts\":\"2024-05-01T12:00:00Z\"}").ts()).isEqualTo(TS);
    }

    @Test
    void parsesIsoTsWithMilliseconds() throws Rejection {
        assertThat(metric("{\"v\":1,\"ts\":\"2024-05-01T12:00:00.123Z\"}").ts()).isEqualTo(TS + 123);
    }

    @Test
    void parsesIsoTsWithOffset() throws Rejection {
        assertThat(metric("{\"v\":1,\"ts\":\"2024-05-01T14:00:00+02:00\"}").ts()).isEqualTo(TS);
    }

    @Test
    void parsesEpochMillisTs() throws Rejection {
        assertThat(metric("{\"v\":1,\"ts\":" + TS + "}").ts()).isEqualTo(TS);
    }

    @Test
    void parsesEpochMillisTsGivenAsString() throws Rejection {
        assertThat(metric("{\"v\":1,\"ts\":\"" + TS + "\"}").ts()).isEqualTo(TS);
    }

    @Test
    void unreadableTsCountsAsAbsent() throws Rejection {
        assertThat(metric("{\"v\":1,\"ts\":\"yesterday\"}").ts()).isEqualTo(ParsedPayload.NO_TS);
    }

    @Test
    void tsOfWrongJsonTypeCountsAsAbsent() throws Rejection {
        assertThat(metric("{\"v\":1,\"ts\":{\"a\":1}}").ts()).isEqualTo(ParsedPayload.NO_TS);
        assertThat(metric("{\"v\":1,\"ts\":true}").ts()).isEqualTo(ParsedPayload.NO_TS);
    }

    // --- node payloads ------------------------------------------------------------------------------------------

    @Test
    void parsesNodeObjectWithSeveralMetricsTsAndSeq() throws Rejection {
        final ParsedPayload parsed =
                node("{\"voltage\":3.67,\"temperature\":29.1,\"soc\":0.82,\"ts\":" + TS + ",\"seq\":7}");

        assertThat(parsed.names()).containsExactly("voltage", "temperature", "soc");
        assertThat(parsed.values()).containsExactly(3.67, 29.1, 0.82);
        assertThat(parsed.ts()).isEqualTo(TS);
        assertThat(parsed.seq()).isEqualTo(7);
    }

    @Test
    void nodeIgnoresStringBooleanNullObjectAndArrayFields() throws Rejection {
        final ParsedPayload parsed = node("{\"label\":\"rack 1\",\"voltage\":3.6,\"nested\":{\"soc\":1,\"x\":[1,2]},"
                + "\"list\":[4,5],\"ok\":true,\"missing\":null,\"soc\":0.5}");

        assertThat(parsed.names()).containsExactly("voltage", "soc");
        assertThat(parsed.values()).containsExactly(3.6, 0.5);
    }

    @Test
    void nodeAcceptsIntegerMetrics() throws Rejection {
        assertThat(node("{\"cycles\":1200}").values()).containsExactly(1200.0);
    }

    @Test
    void nodeTsAndSeqAreNotMetrics() throws Rejection {
        final ParsedPayload parsed = node("{\"ts\":\"2024-05-01T12:00:00Z\",\"seq\":3,\"soc\":0.9}");

        assertThat(parsed.names()).containsExactly("soc");
        assertThat(parsed.ts()).isEqualTo(TS);
        assertThat(parsed.seq()).isEqualTo(3);
    }

    @Test
    void nodeWithoutTsOrSeqHasNone() throws Rejection {
        final ParsedPayload parsed = node("{\"soc\":0.9}");

        assertThat(parsed.ts()).isEqualTo(ParsedPayload.NO_TS);
        assertThat(parsed.seq()).isEqualTo(ParsedPayload.NO_SEQ);
    }

    // --- text properties (MQTT 5) -------------------------------------------------------------------------------

    @Test
    void parseTsReadsEpochMillis() {
        assertThat(PayloadParser.parseTs(" " + TS + " ")).isEqualTo(TS);
    }

    @Test
    void parseTsReadsIsoInstant() {
        assertThat(PayloadParser.parseTs("2024-05-01T12:00:00Z")).isEqualTo(TS);
    }

    @Test
    void parseTsReturnsNoTsForGarbage() {
        assertThat(PayloadParser.parseTs("soon")).isEqualTo(ParsedPayload.NO_TS);
    }

    @Test
    void parseSeqReadsNonNegativeInteger() throws Rejection {
        assertThat(PayloadParser.parseSeq(" 42 ")).isEqualTo(42);
        assertThat(PayloadParser.parseSeq("0")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "x", "1.5", ""})
    void parseSeqRejectsAnythingButNonNegativeInteger(final String text) {
        final Rejection rejection = rejected(() -> PayloadParser.parseSeq(text));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_SEQ);
        assertThat(rejection.getMessage()).contains("seq");
    }

    // --- rejections: empty and oversize -------------------------------------------------------------------------

    @Test
    void rejectsEmptyMetricPayload() {
        final Rejection rejection = rejected(() -> parser.parseMetric(ByteBuffer.allocate(0)));

        assertThat(rejection.reason()).isEqualTo(RejectReason.EMPTY_PAYLOAD);
        assertThat(rejection.getMessage()).contains("empty");
    }

    @Test
    void rejectsEmptyNodePayload() {
        assertThat(rejected(() -> parser.parseNode(ByteBuffer.allocate(0))).reason())
                .isEqualTo(RejectReason.EMPTY_PAYLOAD);
    }

    @Test
    void rejectsMissingPayloadAsEmpty() {
        assertThat(rejected(() -> parser.parseMetric(null)).reason()).isEqualTo(RejectReason.EMPTY_PAYLOAD);
        assertThat(rejected(() -> parser.parseNode(null)).reason()).isEqualTo(RejectReason.EMPTY_PAYLOAD);
    }

    @Test
    void rejectsBlankMetricPayload() {
        final Rejection rejection = metricRejection(" \t\r\n ");

        assertThat(rejection.reason()).isEqualTo(RejectReason.EMPTY_PAYLOAD);
        assertThat(rejection.getMessage()).contains("blank");
    }

    @Test
    void rejectsBlankNodePayload() {
        assertThat(nodeRejection("   ").reason()).isEqualTo(RejectReason.EMPTY_PAYLOAD);
    }

    @Test
    void acceptsPayloadOfExactlyTheMaximumSize() throws Rejection {
        assertThat(new PayloadParser(8).parseMetric(utf8("1234.567")).values()).containsExactly(1234.567);
    }

    @Test
    void rejectsPayloadLargerThanTheMaximum() {
        final Rejection rejection = rejected(() -> new PayloadParser(8).parseMetric(utf8("1234.5678")));

        assertThat(rejection.reason()).isEqualTo(RejectReason.OVERSIZE);
        assertThat(rejection.getMessage()).contains("9 bytes").contains("8");
    }

    @Test
    void rejectsOversizeNodePayloadBeforeParsingIt() {
        assertThat(rejected(() -> new PayloadParser(16).parseNode(utf8("{\"voltage\":3.671234}"))).reason())
                .isEqualTo(RejectReason.OVERSIZE);
    }

    // --- rejections: numbers ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5d", "1.5f", "0x10", "0x1p3", "true", "null", "1,5", "1 2", "--1", "1e", "\"3.7\""})
    void rejectsBareTextThatIsNotADecimalNumber(final String payload) {
        final Rejection rejection = metricRejection(payload);

        assertThat(rejection.reason()).isEqualTo(RejectReason.NOT_A_NUMBER);
        assertThat(rejection.getMessage()).contains("not a number");
    }

    @Test
    void notANumberMessageQuotesThePayload() {
        assertThat(metricRejection("abc").getMessage()).contains("'abc'");
    }

    @Test
    void notANumberMessageAbbreviatesALongPayload() {
        final String message = metricRejection("x".repeat(1000)).getMessage();

        assertThat(message).hasSizeLessThan(100).contains("…");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "+inf", "-inf", "1e999", "-1e999"})
    void rejectsNonFiniteBareNumber(final String payload) {
        final Rejection rejection = metricRejection(payload);

        assertThat(rejection.reason()).isEqualTo(RejectReason.NON_FINITE);
        assertThat(rejection.getMessage()).contains("not finite");
    }

    @Test
    void rejectsNonFiniteVInMetricObject() {
        assertThat(metricRejection("{\"v\":NaN}").reason()).isEqualTo(RejectReason.NON_FINITE);
    }

    @Test
    void rejectsVThatIsNotANumber() {
        final Rejection rejection = metricRejection("{\"v\":\"3.7\"}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.NOT_A_NUMBER);
        assertThat(rejection.getMessage()).contains("'v'");
    }

    @Test
    void rejectsNanMetricInNode() {
        final Rejection rejection = nodeRejection("{\"voltage\":NaN}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.NON_FINITE);
        assertThat(rejection.getMessage()).contains("'voltage'").contains("not finite");
    }

    @Test
    void rejectsWholeNodePayloadWhenOneMetricIsInfinite() {
        assertThat(nodeRejection("{\"voltage\":3.6,\"soc\":-Infinity,\"temp\":20}").reason())
                .isEqualTo(RejectReason.NON_FINITE);
    }

    @Test
    void rejectsNodeMetricThatOverflowsADouble() {
        assertThat(nodeRejection("{\"voltage\":1e999}").reason()).isEqualTo(RejectReason.NON_FINITE);
    }

    // --- rejections: JSON ---------------------------------------------------------------------------------------

    @Test
    void rejectsMalformedJsonObject() {
        final Rejection rejection = metricRejection("{bad");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_JSON);
        assertThat(rejection.getMessage()).contains("JSON");
    }

    @Test
    void rejectsMalformedNodeJson() {
        assertThat(nodeRejection("{bad").reason()).isEqualTo(RejectReason.BAD_JSON);
    }

    @Test
    void rejectsTruncatedJsonObject() {
        assertThat(nodeRejection("{\"voltage\":3.6").reason()).isEqualTo(RejectReason.BAD_JSON);
    }

    @Test
    void rejectsTrailingGarbageAfterMetricObject() {
        assertThat(metricRejection("{\"v\":1} x").reason()).isEqualTo(RejectReason.BAD_JSON);
    }

    @Test
    void rejectsSecondObjectAfterNodeObject() {
        final Rejection rejection = nodeRejection("{\"voltage\":1}{\"soc\":2}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_JSON);
        assertThat(rejection.getMessage()).contains("after the JSON object");
    }

    @Test
    void acceptsTrailingWhitespaceAfterObject() throws Rejection {
        assertThat(node("{\"voltage\":1}\n  ").values()).containsExactly(1.0);
    }

    @Test
    void rejectsNodePayloadThatIsABareNumber() {
        final Rejection rejection = nodeRejection("3.7");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_JSON);
        assertThat(rejection.getMessage()).contains("node").contains("object");
    }

    @Test
    void rejectsNodePayloadThatIsAnArray() {
        assertThat(nodeRejection("[3.7]").reason()).isEqualTo(RejectReason.BAD_JSON);
    }

    @Test
    void rejectsDuplicateMetricInNode() {
        final Rejection rejection = nodeRejection("{\"voltage\":1,\"soc\":2,\"voltage\":3}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_JSON);
        assertThat(rejection.getMessage()).contains("'voltage'").contains("twice");
    }

    @Test
    void rejectsDuplicateMetricFarIntoAWideNode() {
        final StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 5_000; i++) {
            json.append('"').append('m').append(i).append("\":").append(i).append(',');
        }
        final Rejection rejection = nodeRejection(json.append("\"m17\":1}").toString());

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_JSON);
        assertThat(rejection.getMessage()).contains("'m17'").contains("twice");
    }

    /** Only numeric metric names are checked for duplicates; a repeated ts or seq silently takes the last value. */
    @Test
    void rejectsDuplicateTs() {
        assertThat(nodeRejection("{\"soc\":1,\"ts\":" + TS + ",\"ts\":" + (TS + 1) + "}").reason())
                .isEqualTo(RejectReason.BAD_JSON);
    }

    @Test
    void rejectsDuplicateVInMetricObject() {
        assertThat(metricRejection("{\"v\":1,\"v\":2}").reason()).isEqualTo(RejectReason.BAD_JSON);
    }

    // --- rejections: no metrics ---------------------------------------------------------------------------------

    @Test
    void rejectsEmptyNodeObject() {
        final Rejection rejection = nodeRejection("{}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.NO_METRICS);
        assertThat(rejection.getMessage()).contains("no numeric field");
    }

    @Test
    void rejectsNodeObjectWithOnlyALabel() {
        assertThat(nodeRejection("{\"label\":\"x\"}").reason()).isEqualTo(RejectReason.NO_METRICS);
    }

    @Test
    void rejectsNodeObjectWithOnlyTsAndSeq() {
        assertThat(nodeRejection("{\"ts\":" + TS + ",\"seq\":1}").reason()).isEqualTo(RejectReason.NO_METRICS);
    }

    @Test
    void rejectsMetricObjectWithoutV() {
        final Rejection rejection = metricRejection("{\"value\":3.7,\"ts\":" + TS + "}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.NO_METRICS);
        assertThat(rejection.getMessage()).contains("'v'");
    }

    // --- rejections: seq ----------------------------------------------------------------------------------------

    @Test
    void rejectsNegativeSeqInMetricObject() {
        final Rejection rejection = metricRejection("{\"v\":1,\"seq\":-1}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_SEQ);
        assertThat(rejection.getMessage()).contains("seq");
    }

    @Test
    void rejectsStringSeqInMetricObject() {
        assertThat(metricRejection("{\"v\":1,\"seq\":\"x\"}").reason()).isEqualTo(RejectReason.BAD_SEQ);
    }

    @Test
    void rejectsFractionalSeq() {
        assertThat(metricRejection("{\"v\":1,\"seq\":1.5}").reason()).isEqualTo(RejectReason.BAD_SEQ);
    }

    @Test
    void rejectsNegativeSeqInNode() {
        assertThat(nodeRejection("{\"soc\":1,\"seq\":-1}").reason()).isEqualTo(RejectReason.BAD_SEQ);
    }

    @Test
    void rejectsStringSeqInNode() {
        assertThat(nodeRejection("{\"soc\":1,\"seq\":\"x\"}").reason()).isEqualTo(RejectReason.BAD_SEQ);
    }

    /**
     * Jackson's {@code getLongValue()} throws {@code InputCoercionException}, which is not a
     * {@code JsonParseException}, so {@code parseObject} reports it through its {@code IOException} branch as BAD_JSON.
     */
    @Test
    void rejectsSeqBeyondLongRangeAsBadSeq() {
        assertThat(nodeRejection("{\"soc\":1,\"seq\":99999999999999999999}").reason())
                .isEqualTo(RejectReason.BAD_SEQ);
    }

    // --- rejections: metric names -------------------------------------------------------------------------------

    @Test
    void rejectsNodeMetricNameWithSpace() {
        final Rejection rejection = nodeRejection("{\"cell voltage\":3.6}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("metric name").contains("cell voltage");
    }

    @Test
    void rejectsReservedNodeMetricName() {
        final Rejection rejection = nodeRejection("{\"status\":1}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("reserved");
    }

    @Test
    void rejectsEmptyNodeMetricName() {
        assertThat(nodeRejection("{\"\":1}").reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
    }

    @Test
    void ignoresNonNumericFieldWithInvalidName() throws Rejection {
        assertThat(node("{\"display name\":\"Rack 1\",\"soc\":0.5}").names()).containsExactly("soc");
    }

    @Test
    void payloadRejectionsAreNotTopicProblems() {
        assertThat(nodeRejection("{}").reason().topicProblem()).isFalse();
        assertThat(metricRejection("abc").reason().topicProblem()).isFalse();
    }

    @Test
    void parsesValueWithFullDoublePrecision() throws Rejection {
        assertThat(metric("3.14159265358979").values()[0]).isCloseTo(Math.PI, within(1e-13));
    }
}
