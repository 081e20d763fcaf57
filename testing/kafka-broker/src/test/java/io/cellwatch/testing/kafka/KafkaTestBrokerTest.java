package io.cellwatch.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class KafkaTestBrokerTest {

    @TempDir
    static Path dir;

    private static KafkaTestBroker kafka;

    @BeforeAll
    @Timeout(120)
    static void startKafka() {
        kafka = KafkaTestBroker.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionAndNotAbortedOne() {
        kafka.createTopic("tx", 3);
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test"))) {
            producer.initTransactions();
            // Aborted first: a read_committed consumer that then reaches the committed records has read past them.
            producer.beginTransaction();
            IntStream.range(0, 10).forEach(i -> producer.send(new ProducerRecord<>("tx", "k" + i, "aborted-" + i)));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            IntStream.range(0, 100).forEach(i -> producer.send(new ProducerRecord<>("tx", "k" + i, "committed-" + i)));
            producer.commitTransaction();
        }

        List<String> values = readAll("tx", 3, 100);

        assertThat(values).hasSize(100)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj(i -> "committed-" + i).toList());
    }

    @Test
    void recordsWrittenBeforeKillAreThereAfterRestart() throws Exception {
        kafka.createTopic("durable", 1);
        String bootstrap = kafka.bootstrapServers();
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("durable", "before-" + i)).get();
            }
        }

        kafka.kill();
        assertThat(kafka.isRunning()).isFalse();
        kafka.restart();

        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(readAll("durable", 1, 50))
                .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "before-" + i).toList());
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    // Reads the topic from the start with read_committed until `expected` records arrived (or Awaitility gives up).
    private static List<String> readAll(String topic, int partitions, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList());
            consumer.seekToBeginning(consumer.assignment());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }
}
