package dev.workbookrelay.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CellValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String value(String raw, String type, String format) throws Exception {
        JsonNode node = CellValues.value(JSON.readTree(raw), type, format);
        return node == null ? null : node.toString();
    }

    @Test
    void numbersAreNumbersAndWholeOnesHaveNoFraction() throws Exception {
        assertEquals("100", value("100", "Double", "General"));
        assertEquals("1250.5", value("1250.5", "Double", "#,##0.00"));
        assertEquals("0.25", value("0.25", "Double", "0%"));
    }

    @Test
    void serialNumbersUnderADateFormatAreIsoDates() throws Exception {
        // observed: "2026-07-28" written through the API reads back as 46231 with m/d/yyyy
        assertEquals("\"2026-07-28\"", value("46231", "Double", "m/d/yyyy"));
        assertEquals("\"2026-07-28\"", value("46231", "Double", "[$-409]d-mmm-yy;@"));
        assertEquals("\"2026-07-28T18:00:00\"", value("46231.75", "Double", "yyyy-mm-dd hh:mm"));
        assertEquals("\"06:30:00\"", value("0.2708333333333333", "Double", "h:mm AM/PM"));
        assertEquals("\"1900-01-01\"", value("1", "Double", "yyyy-mm-dd"), "before Excel's phantom 1900-02-29");
        assertEquals("\"1900-03-01\"", value("61", "Double", "yyyy-mm-dd"));
    }

    @Test
    void formatsThatOnlyLookLikeDatesStayNumbers() throws Exception {
        assertEquals("36.5", value("36.5", "Double", "[h]:mm"), "elapsed hours are a duration");
        assertEquals("3", value("3", "Double", "0 \"days\""), "quoted text is not a date code");
        assertEquals("-4", value("-4", "Double", "[Red]0;[Blue]-0"));
    }

    @Test
    void textBooleansErrorsAndEmptyCells() throws Exception {
        assertEquals("\"Fabrikam\"", value("\"Fabrikam\"", "String", "General"));
        assertEquals("\"\"", value("\"\"", "String", "@"), "an empty string typed as text stays text");
        assertEquals("true", value("true", "Boolean", "General"));
        assertEquals("{\"error\":\"#N/A\"}", value("\"#N/A\"", "Error", "General"));
        assertNull(value("\"\"", "Empty", "General"));
        assertNull(value("null", "Empty", "General"));
    }

    @Test
    void keysPrintAsTheirCellsRead() throws Exception {
        assertEquals("42", CellValues.keyText(CellValues.value(JSON.readTree("42"), "Double", "General")));
        assertEquals("A-1", CellValues.keyText(JSON.readTree("\" A-1 \"")));
        assertNull(CellValues.keyText(JSON.readTree("\"  \"")));
        assertNull(CellValues.keyText(JSON.readTree("{\"error\":\"#REF!\"}")), "an error cannot name a row");
    }
}
