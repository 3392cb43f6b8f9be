package dev.workbookrelay.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RangeAddressTest {

    @Test
    void addressesAsExcelWritesThemParseWithOrWithoutTheirSheet() {
        assertEquals(new RangeAddress(2, 2, 100, 6), RangeAddress.parse("Sheet1!B2:F100"));
        assertEquals(new RangeAddress(1, 1, 1, 1), RangeAddress.parse("Sheet1!A1"), "a blank sheet's used range");
        assertEquals(new RangeAddress(1, 1, 3, 4), RangeAddress.parse("'Open deals'!A1:D3"));
        assertEquals(new RangeAddress(1, 1, 3, 4), RangeAddress.parse("'It''s!here'!$A$1:$D$3"));
        assertEquals(new RangeAddress(5, 27, 9, 28), RangeAddress.parse("AA5:AB9"));
        assertThrows(IllegalArgumentException.class, () -> RangeAddress.parse("Sheet1!A:C"), "unbounded");
        assertThrows(IllegalArgumentException.class, () -> RangeAddress.parse(null));
    }

    @Test
    void columnLettersAndBlocksOfRows() {
        assertEquals("A", RangeAddress.letters(1));
        assertEquals("Z", RangeAddress.letters(26));
        assertEquals("AA", RangeAddress.letters(27));
        assertEquals("XFD", RangeAddress.letters(16_384));
        assertEquals(16_384, RangeAddress.column("XFD"));
        assertEquals("B5001:F10000", RangeAddress.parse("Sheet1!B2:F100000").rows(5001, 10_000).toString());
    }
}
