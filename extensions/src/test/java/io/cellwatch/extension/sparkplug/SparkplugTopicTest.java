package io.cellwatch.extension.sparkplug;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SparkplugTopicTest {

    @Test
    void nodeAndDeviceTopicsAreParsed() {
        assertThat(SparkplugTopic.parse("spBv1.0/plant-a/NDATA/edge-1"))
                .isEqualTo(new SparkplugTopic("plant-a", "NDATA", "edge-1", null));
        assertThat(SparkplugTopic.parse("spBv1.0/plant-a/DDATA/edge-1/pack 1"))
                .isEqualTo(new SparkplugTopic("plant-a", "DDATA", "edge-1", "pack 1"));
    }

    @Test
    void otherTopicsAreNotSparkplugMessages() {
        assertThat(SparkplugTopic.parse("spBv1.0/STATE/host-1")).isNull();
        assertThat(SparkplugTopic.parse("spBv1.0/plant-a/NDATA/edge-1/dev")).as("device part on a node type").isNull();
        assertThat(SparkplugTopic.parse("spBv1.0/plant-a/DDATA/edge-1")).as("device type without device").isNull();
        assertThat(SparkplugTopic.parse("spBv1.0/plant-a/NOPE/edge-1")).isNull();
        assertThat(SparkplugTopic.parse("spBv1.0//NDATA/edge-1")).isNull();
        assertThat(SparkplugTopic.parse("spAv1.0/plant-a/NDATA/edge-1")).isNull();
    }

    @Test
    void commandsAreRecognisedAndTheRebirthTopicIsTheNodes() {
        assertThat(SparkplugTopic.parse("spBv1.0/g/NCMD/n").isCommand()).isTrue();
        assertThat(SparkplugTopic.parse("spBv1.0/g/DCMD/n/d").isCommand()).isTrue();
        assertThat(SparkplugTopic.parse("spBv1.0/g/DDATA/n/d").nodeCommandTopic()).isEqualTo("spBv1.0/g/NCMD/n");
    }

    @Test
    void namesBecomeValidLevelsAndSessionMetricsAreNotTelemetry() {
        assertThat(SparkplugNames.metric("Battery/Voltage")).isEqualTo("Battery.Voltage");
        assertThat(SparkplugNames.metric("Inlet temp (°C)")).isEqualTo("Inlet_temp___C_");
        assertThat(SparkplugNames.metric("status")).isEqualTo("status_");
        assertThat(SparkplugNames.metric("x".repeat(100))).hasSize(64);
        assertThat(SparkplugNames.metric("bdSeq")).isNull();
        assertThat(SparkplugNames.metric("Node Control/Rebirth")).isNull();
        assertThat(SparkplugNames.metric("Properties/Hardware Make")).isNull();
        assertThat(SparkplugNames.level("pack 1")).isEqualTo("pack_1");
    }
}
