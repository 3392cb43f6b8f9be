package dev.workbookrelay.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Semaphore;

/** One Graph GET, by path ({@code /v1.0/...}) or by absolute link, answering the parsed JSON body. */
@FunctionalInterface
public interface GraphGet {

    JsonNode get(String pathOrLink);

    /** This GraphGet with each call holding one of {@code permits} while it is in flight (retries included). */
    default GraphGet holding(Semaphore permits) {
        return pathOrLink -> {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to call Graph: " + pathOrLink, e);
            }
            try {
                return get(pathOrLink);
            } finally {
                permits.release();
            }
        };
    }
}
