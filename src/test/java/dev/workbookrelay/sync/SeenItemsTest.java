package dev.workbookrelay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeenItemsTest {

    @Test
    void anItemAddedIsAlwaysSeenAgainAndNewItemsAlmostNeverAre() {
        SeenItems seen = new SeenItems();
        int items = 200_000;
        int falselySeen = 0;
        for (int i = 0; i < items; i++) {
            if (seen.add(id(i))) {
                falselySeen++;
            }
        }
        for (int i = 0; i < items; i++) {
            assertTrue(seen.add(id(i)), id(i));
        }
        // at 200,000 items the filter's expected false rate is about 2 in 100,000
        assertTrue(falselySeen < 40, falselySeen + " new items taken for seen");
    }

    @Test
    void idsThatDifferInOneCharacterAreDifferentItems() {
        SeenItems seen = new SeenItems();
        assertEquals(false, seen.add("01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K"));
        assertEquals(false, seen.add("01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36L"));
        assertEquals(true, seen.add("01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K"));
    }

    /** Item ids as OneDrive for Business writes them: 34 upper-case base-32 characters. */
    private static String id(int i) {
        return "01BYE5RZ" + String.format("%026X", (long) i * 2_654_435_761L);
    }
}
