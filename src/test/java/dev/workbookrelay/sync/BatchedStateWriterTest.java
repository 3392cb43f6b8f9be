package dev.workbookrelay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.trigger.SyncRequestParser;
import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.Cursor;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batching of state writes against a real (H2 file) state database. */
class BatchedStateWriterTest {

    @TempDir
    Path dir;

    private JdbcSyncState state;
    private DriveEnumeration enumeration;
    private String key;

    @BeforeEach
    void openState() {
        state = JdbcSyncState.open("jdbc:h2:file:" + dir.resolve("state") + ";MODE=PostgreSQL", null, null);
        SyncRequest request = new SyncRequestParser(new ObjectMapper(), "microsoft-excel", 65536).fromMessage(
                "{\"connectionId\":\"alice\",\"drive\":\"me\"}".getBytes(StandardCharsets.UTF_8));
        enumeration = new DriveEnumeration(SyncMode.SNAPSHOT, true, "enumeration-1", 64, 16);
        key = request.stateKey();
    }

    @AfterEach
    void closeState() {
        state.close();
    }

    @Test
    void writesWaitForTheCheckpointPastTheirPageAndGoWithIt() throws Exception {
        BatchedStateWriter writer = new BatchedStateWriter(state, key, enumeration, 100, null);
        enumeration.progress().started(1, "page-1", "a");
        enumeration.progress().started(1, "page-1", "b");
        enumeration.progress().started(2, "page-2", "c");
        writer.acknowledged(save("a"), null, 1);
        assertEquals(Optional.of(new Cursor("page-1", false, "enumeration-1", true)), state.cursor(key),
                "the first checkpoint: resume at page 1");

        writer.acknowledged(save("c"), null, 2);
        assertEquals(Optional.empty(), state.workbook(key, "c"), "b of page 1 is in flight: c waits");
        assertEquals(save("c"), writer.waiting("c"), "the sync reads its own write meanwhile");

        writer.acknowledged(save("b"), null, 1);
        assertEquals(Optional.of(image("a")), state.workbook(key, "a"));
        assertEquals(List.of(sheet("a")), state.worksheets(key, "a"));
        assertEquals(Optional.of(image("b")), state.workbook(key, "b"));
        assertEquals(Optional.of(image("c")), state.workbook(key, "c"));
        assertEquals(Optional.of(new Cursor("page-2", false, "enumeration-1", true)), state.cursor(key),
                "the checkpoint is written with the workbooks before it");
        assertNull(writer.waiting("c"));
    }

    @Test
    void aFullBatchIsWrittenBeforeItsPageIsDone() throws Exception {
        BatchedStateWriter writer = new BatchedStateWriter(state, key, enumeration, 2, null);
        enumeration.progress().started(1, "page-1", "a");
        enumeration.progress().started(1, "page-1", "z");
        writer.acknowledged(save("a"), null, 1); // the first checkpoint (page 1, z in flight) goes out with a
        enumeration.progress().started(2, "page-2", "b");
        enumeration.progress().started(2, "page-2", "c");
        writer.acknowledged(save("b"), null, 2);
        assertEquals(Optional.empty(), state.workbook(key, "b"));
        writer.acknowledged(save("c"), null, 2);

        assertEquals(Optional.of(image("b")), state.workbook(key, "b"));
        assertEquals(Optional.of(image("c")), state.workbook(key, "c"));
        assertEquals(Optional.of(new Cursor("page-1", false, "enumeration-1", true)), state.cursor(key),
                "z of page 1 is still in flight: the checkpoint stays");
    }

    @Test
    void flushWritesWhatWaitsAndASecondWriteOfAWorkbookReplacesTheFirst() throws Exception {
        BatchedStateWriter writer = new BatchedStateWriter(state, key, enumeration, 100, null);
        enumeration.progress().started(1, "page-1", "x");
        enumeration.progress().started(1, "page-1", "z");
        writer.acknowledged(save("x"), null, 1); // checkpoint page 1, z in flight
        enumeration.progress().started(2, "page-2", "a");
        enumeration.progress().started(2, "page-2", "b");
        writer.acknowledged(save("a"), null, 2);
        writer.acknowledged(save("b"), null, 2);
        writer.acknowledged(WorkbookWrite.delete("a"), null, -1); // delta listed a again, deleted
        assertEquals(Optional.empty(), state.workbook(key, "b"), "waiting for z");

        writer.flush();

        assertEquals(Optional.empty(), state.workbook(key, "a"));
        assertEquals(Optional.of(image("b")), state.workbook(key, "b"));
        assertEquals(Optional.of(new Cursor("page-1", false, "enumeration-1", true)), state.cursor(key),
                "a flush moves no checkpoint");
    }

    private static WorkbookWrite save(String id) {
        return WorkbookWrite.save(image(id), List.of(sheet(id)), "enumeration-1").asLikelyNew();
    }

    private static WorksheetImage sheet(String workbookId) {
        return new WorksheetImage("s1", "Summary", 0, "Visible", workbookId);
    }

    private static WorkbookImage image(String id) {
        return new WorkbookImage(id, id + ".xlsx", "b!drive", "root", "/", "https://example.com/" + id, 1000L,
                "\"{" + id + "},1\"", "\"c:{" + id + "},1\"", "2026-01-05T09:00:00Z", "2026-01-05T09:00:00Z", null);
    }
}
