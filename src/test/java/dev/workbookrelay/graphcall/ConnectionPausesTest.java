package dev.workbookrelay.graphcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pauses hold only their connection, and are forgotten once over: 100,000 connections leave nothing behind. */
class ConnectionPausesTest {

    @Test
    void aPauseHoldsItsConnectionOnlyUntilItEnds() throws Exception {
        ConnectionPauses pauses = new ConnectionPauses();
        pauses.pause("microsoft-excel/alice", Duration.ofMillis(200));

        assertEquals(0, pauses.awaitClear("microsoft-excel/bob"), "another connection is not held");
        long waited = pauses.awaitClear("microsoft-excel/alice");
        assertTrue(waited >= 150 && waited < 2000, "waited " + waited + " ms");
        assertEquals(0, pauses.size(), "forgotten once waited out");
    }

    @Test
    void pausesOfConnectionsThatWentQuietAreForgotten() throws Exception {
        ConnectionPauses pauses = new ConnectionPauses();
        for (int c = 0; c < 100_000; c++) {
            pauses.pause("microsoft-excel/user-" + c, Duration.ZERO); // throttled once, then never heard of again
        }
        assertTrue(pauses.size() <= 1, "pauses kept: " + pauses.size());

        pauses.pause("microsoft-excel/still-throttled", Duration.ofMinutes(1));
        pauses.pause("microsoft-excel/another", Duration.ZERO);
        assertTrue(pauses.size() >= 1 && pauses.size() <= 2, "a running pause stays: " + pauses.size());
    }
}
