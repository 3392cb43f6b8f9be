package dev.workbookrelay.trigger;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the sync-requests consumer's thread after every poll (empty ones too): commits the offsets handled
 * meanwhile ({@link RequestOffsets}), and holds back the intake while too many syncs wait, by pausing the
 * partitions rather than blocking the thread, so the consumer keeps polling and stays in its group however long
 * the syncs take.
 */
public final class RequestConsumerListener extends KafkaConsumerListener {

    private static final Logger LOG = LoggerFactory.getLogger(RequestConsumerListener.class);

    private final RequestOffsets offsets;
    private final IntSupplier waiting;
    private final int pauseAt;
    private boolean paused;

    /** Pauses while at least {@code pauseAt} syncs wait, resumes once half of that or fewer do. */
    public RequestConsumerListener(RequestOffsets offsets, IntSupplier waiting, int pauseAt) {
        this.offsets = offsets;
        this.waiting = waiting;
        this.pauseAt = pauseAt;
    }

    /** Always true: false would make camel-kafka skip the records this poll returned (its position moved on). */
    @Override
    public boolean afterConsume(Object polled) {
        Consumer<?, ?> consumer = (Consumer<?, ?>) polled;
        try {
            offsets.commitHandled(consumer);
            holdBack(consumer);
        } catch (RuntimeException e) {
            // an exception here would count as a failed poll; the next poll tries again
            LOG.warn("sync-request offsets not committed after this poll: {}", e.toString());
        }
        return true;
    }

    private void holdBack(Consumer<?, ?> consumer) {
        int w = waiting.getAsInt();
        Set<TopicPartition> assigned = consumer.assignment();
        if (!paused && w >= pauseAt && !assigned.isEmpty()) {
            consumer.pause(assigned);
            paused = true;
            LOG.info("{} syncs wait: taking no more sync requests until fewer do", w);
        } else if (paused && w <= pauseAt / 2) {
            consumer.resume(consumer.paused());
            paused = false;
            LOG.info("{} syncs wait: taking sync requests again", w);
        } else if (paused) {
            Set<TopicPartition> newlyAssigned = new HashSet<>(assigned);
            newlyAssigned.removeAll(consumer.paused());
            if (!newlyAssigned.isEmpty()) {
                consumer.pause(newlyAssigned); // assigned by a rebalance since: they start unpaused
            }
        }
    }

    /** Never pause or seek on a failed record (the base class would): breakOnFirstError polls it again. */
    @Override
    public boolean afterProcess(ProcessingResult result) {
        return true;
    }

    /** The pausable EIP's resume check plays no part here. */
    @Override
    public void setResumableCheck(Predicate<?> ignored) {
    }
}
