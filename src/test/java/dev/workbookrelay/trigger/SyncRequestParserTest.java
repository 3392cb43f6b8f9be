package dev.workbookrelay.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.rows.RowOptions;
import dev.workbookrelay.sync.SyncRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a sync request may say, checked before anything is called or stored. */
class SyncRequestParserTest {

    final SyncRequestParser parser = new SyncRequestParser(new ObjectMapper(), "microsoft-excel", 65536);

    @Test
    void aWorkbookIdOutsideGraphsIdAlphabetIsRefusedSoNoPathCanReachTheDrive() {
        for (String id : new String[] {"..", "../root", "01AB/children", "01AB?x=1", "01AB%2F", "a b"}) {
            InvalidSyncRequestException e = assertThrows(InvalidSyncRequestException.class,
                    () -> parse("{\"connectionId\":\"alice\",\"workbookId\":\"" + id + "\"}"), id);
            assertTrue(e.getMessage().contains("not a drive item id"), e.getMessage());
        }
        assertEquals("01BYE5RZ!x_y-Z9", parse("{\"connectionId\":\"alice\",\"workbookId\":\"01BYE5RZ!x_y-Z9\"}")
                .workbookId(), "Graph's ids, personal drives' '!' included");
    }

    @Test
    void fieldsLongerThanTheStateKeepsAreRefusedBeforeAnyEventGoesOut() {
        String[][] cases = {{"drive", "drives/" + "d".repeat(200)}, {"folder", "/" + "f".repeat(250)},
            {"requestId", "r".repeat(201)}, {"source", "s".repeat(201)}};
        for (String[] c : cases) {
            InvalidSyncRequestException e = assertThrows(InvalidSyncRequestException.class,
                    () -> parse("{\"connectionId\":\"alice\",\"" + c[0] + "\":\"" + c[1] + "\"}"), c[0]);
            assertTrue(e.getMessage().startsWith(c[0] + " is longer than"), e.getMessage());
        }
    }

    @Test
    void foldersThatDifferOnlyInCaseAreOneSource() {
        SyncRequest upper = parse("{\"connectionId\":\"alice\",\"folder\":\"/Finance/Reports\"}");
        SyncRequest lower = parse("{\"connectionId\":\"alice\",\"folder\":\"finance/reports/\"}");
        assertEquals(upper.stateKey(), lower.stateKey());
    }

    @Test
    void rowOptionsAreReadCheckedAndTravelWithAScheduledRequest() {
        SyncRequest request = parse("{\"connectionId\":\"alice\",\"rows\":\"Orders, customers\","
                + "\"rowKey\":\"Order ID\",\"headerRow\":\"3\"}");
        RowOptions rows = request.rows();
        assertTrue(rows.selects("orders", "Hidden"), "named sheets whatever their visibility, without case");
        assertTrue(rows.selects("Customers", "Visible"));
        assertFalse(rows.selects("Notes", "Visible"));
        assertEquals("Order ID", rows.rowKey());
        assertEquals(3, rows.headerRow());
        assertEquals(rows, parser.fromMessage(parser.toMessage(request)).rows(), "a schedule's tick carries them");

        RowOptions all = parse("{\"connectionId\":\"alice\",\"rows\":\"all\"}").rows();
        assertTrue(all.selects("Anything", "Visible"));
        assertFalse(all.selects("Workings", "Hidden"), "all means every visible sheet");
        assertFalse(parse("{\"connectionId\":\"alice\"}").rows().enabled(), "none by default");
        assertFalse(parse("{\"connectionId\":\"alice\",\"rows\":\"none\"}").rows().enabled());

        SyncRequest tables = parse("{\"connectionId\":\"alice\",\"tables\":\"Sales, Stock\",\"rowKey\":\"SKU\"}");
        assertTrue(tables.rows().enabled(), "tables alone publish rows");
        assertTrue(tables.rows().selectsTable("sales"));
        assertFalse(tables.rows().selectsTable("Returns"));
        assertFalse(tables.rows().selects("Sales", "Visible"), "no worksheet's own rows");
        assertEquals(tables.rows(), parser.fromMessage(parser.toMessage(tables)).rows());
        assertTrue(parse("{\"connectionId\":\"alice\",\"tables\":\"all\"}").rows().selectsTable("Anything"));

        for (String[] bad : new String[][] {{"\"headerRow\":\"0\",\"rows\":\"all\"", "headerRow must be"},
            {"\"headerRow\":\"x\",\"rows\":\"all\"", "headerRow must be"},
            {"\"rowKey\":\"Id\"", "rowKey needs rows or tables"},
            {"\"headerRow\":\"2\",\"tables\":\"all\"", "headerRow needs rows"}, {"\"rows\":3", "must be a string"},
            {"\"tables\":\"" + "t".repeat(256) + "\"", "tables names a table longer than 255"}}) {
            InvalidSyncRequestException e = assertThrows(InvalidSyncRequestException.class,
                    () -> parse("{\"connectionId\":\"alice\"," + bad[0] + "}"), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    private SyncRequest parse(String json) {
        return parser.fromMessage(json.getBytes(StandardCharsets.UTF_8));
    }
}
