package io.pushfabric.dispatcher.loop;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.Topics;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * {@link DeliverySink} on a Kafka producer, for one polled batch. Before a node-topic record leaves it is checked
 * against what the metadata says of the node topic (missing, or a {@code max.message.bytes} the record exceeds: the node
 * is refused at once) and against the producer's {@code max.request.size} (the record is refused at once). A
 * failure Kafka reports later is classified by Kafka's own exception types: {@link RetriableException} is
 * transient unless the metadata says the node topic is gone; a too-large record, a missing authorization or an
 * invalid topic towards a node fences the node.
 */
final class KafkaDeliverySink implements DeliverySink {
    /** Record batch header plus per-record framing, above key and value (a conservative upper bound). */
    static final int RECORD_OVERHEAD_BYTES = 128;

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final DeadLetters deadLetters;
    private final NodeTopics nodeTopics;
    private final int maxRequestBytes;
    private final Map<MessagePosition, ConsumerRecord<String, byte[]>> batch;

    KafkaDeliverySink(Producer<String, byte[]> producer, Topics topics, DeadLetters deadLetters, NodeTopics nodeTopics,
                      int maxRequestBytes, Map<MessagePosition, ConsumerRecord<String, byte[]>> batch) {
        this.producer = producer;
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.nodeTopics = nodeTopics;
        this.maxRequestBytes = maxRequestBytes;
        this.batch = batch;
    }

    @Override
    public CompletableFuture<Void> deliver(NodeId node, byte[] value) {
        int size = value.length + RECORD_OVERHEAD_BYTES;
        if (size > maxRequestBytes) {
            return CompletableFuture.failedFuture(new UndeliverableException(FailureScope.RECORD,
                    "the delivery is about " + size + " bytes, over the producer's max.request.size of "
                            + maxRequestBytes));
        }
        NodeTopics.State topic = nodeTopics.of(node);
        if (topic != null && !topic.exists()) {
            return CompletableFuture.failedFuture(new UndeliverableException(FailureScope.NODE,
                    "topic " + topics.nodeTopic(node) + " does not exist"));
        }
        if (topic != null && size > topic.maxMessageBytes()) {
            return CompletableFuture.failedFuture(new UndeliverableException(FailureScope.NODE,
                    "the delivery is about " + size + " bytes, over max.message.bytes=" + topic.maxMessageBytes()
                            + " of " + topics.nodeTopic(node)));
        }
        // No key: the node topic has one partition, and a record holds the deliveries of many routing keys.
        return send(new ProducerRecord<>(topics.nodeTopic(node), null, value));
    }

    @Override
    public long maxRecordBytes(NodeId node) {
        NodeTopics.State topic = nodeTopics.of(node);
        long max = topic == null || !topic.exists() ? maxRequestBytes : Math.min(maxRequestBytes, topic.maxMessageBytes());
        return max - RECORD_OVERHEAD_BYTES;
    }

    @Override
    public CompletableFuture<Void> deadLetter(PolledRecord record, String reason, String detail) {
        ConsumerRecord<String, byte[]> source = batch.get(record.position());
        if (source == null) {
            throw new IllegalArgumentException("not a record of this batch: " + record.position());
        }
        return send(deadLetters.of(source, reason, detail));
    }

    private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    @Override
    public FailureScope classify(NodeId node, Throwable failure) {
        if (failure instanceof UndeliverableException refused) {
            return refused.scope();
        }
        if (node == null) {
            return FailureScope.TRANSIENT;
        }
        if (failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof TopicAuthorizationException || failure instanceof InvalidTopicException) {
            nodeTopics.forget(node);
            return FailureScope.NODE;
        }
        if (failure instanceof RetriableException) {
            // UnknownTopicOrPartitionException and timeouts among them: permanent once the metadata says so.
            return nodeGone(node) ? FailureScope.NODE : FailureScope.TRANSIENT;
        }
        return FailureScope.TRANSIENT;
    }

    @Override
    public boolean nodeGone(NodeId node) {
        nodeTopics.forget(node);
        NodeTopics.State topic = nodeTopics.of(node);
        return topic != null && !topic.exists();
    }
}
