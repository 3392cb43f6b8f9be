package dev.workbookrelay.trigger;

import java.util.Collection;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * camel-kafka's subscription (bound as {@code subscribeAdapter}, the name it looks up): the one place that sees a
 * rebalance. Before the sync-requests partitions move to another member, what is handled is committed and the
 * rest forgotten ({@link RequestOffsets#revoked}); Camel's own listener still runs.
 */
public final class RequestRebalance implements SubscribeAdapter {

    private final String topic;
    private final RequestOffsets offsets;

    public RequestRebalance(String topic, RequestOffsets offsets) {
        this.topic = topic;
        this.offsets = offsets;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camels, TopicInfo topicInfo) {
        ConsumerRebalanceListener listener = camels;
        if (!topicInfo.isPattern() && topicInfo.getTopics() != null && topicInfo.getTopics().contains(topic)) {
            listener = new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    camels.onPartitionsRevoked(partitions);
                    offsets.revoked(consumer, partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    camels.onPartitionsAssigned(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    camels.onPartitionsLost(partitions);
                    offsets.lost(partitions);
                }
            };
        }
        new DefaultSubscribeAdapter().subscribe(consumer, listener, topicInfo);
    }
}
