package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Microsoft Graph v1.0 part: drive, root/delta, items/{id}, items/{id}/content (a redirect to a download URL, see
 * {@link DownloadUrls}), items/{id}/workbook/worksheets and a worksheet's usedRange and range(address=…) (see
 * {@link WorkbookRanges}), tables (see {@link WorkbookTables}), and workbook sessions, created at once or as a
 * long-running operation (see {@link WorkbookOperations}), of one connection's drive, addressed as
 * {@code /me/drive}, {@code /drives/{id}}, {@code /users|sites|groups/{x}/drive}.
 * Everything else answers the way Graph answers a path it does not know.
 */
final class GraphApi {

    private static final String METADATA = GraphRequest.GRAPH_ORIGIN + "/v1.0/$metadata#";
    private static final Pattern DELTA_SEGMENT = Pattern.compile("delta(?:\\((?:token=(?:'([^']*)'|([^)]*)))?\\))?");
    private static final Pattern SESSION_INFO = Pattern.compile("sessionInfoResource\\(key=(.*)\\)");
    private static final int MAX_TOP = 1000;
    private static final String RESYNC_MESSAGE = "Resync required. Replace any local items with the server's version "
            + "(including deletes) if you're sure that the service was up to date with your local changes when you "
            + "last sync'd. Upload any local changes that the server doesn't know about.";

    /**
     * How the request named the drive, which Graph echoes in links and contexts.
     *
     * @param linkPath       raw request path up to the drive, e.g. {@code /v1.0/me/drive}
     * @param odataPrefix    the drive in {@code @odata.context}/{@code @odata.id}, e.g. {@code drives('b%21…')}
     * @param itemPathPrefix the {@code parentReference.path} of a top-level item, e.g. {@code /drive/root:}
     */
    private record DriveAddress(String linkPath, String odataPrefix, String itemPathPrefix) {
    }

    /** A failure to answer with right away. */
    static final class Reply extends Exception {
        final transient HttpReply reply;

        Reply(HttpReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private final int pageSize;
    private final boolean omitPathInDelta;
    private final boolean relistChangedDuringPaging;
    private final boolean deletedFolderOnly;
    private final WorkbookRanges ranges;
    private final WorkbookSessions sessions = new WorkbookSessions();
    private final WorkbookTables tables;
    private final WorkbookOperations operations;
    private final DownloadUrls downloads;

    GraphApi(int pageSize, boolean omitPathInDelta, boolean relistChangedDuringPaging, boolean deletedFolderOnly,
             int rangeCellLimit) {
        this(pageSize, omitPathInDelta, relistChangedDuringPaging, deletedFolderOnly, rangeCellLimit,
                new DownloadUrls(), WorkbookOperations.Settings.OFF);
    }

    GraphApi(int pageSize, boolean omitPathInDelta, boolean relistChangedDuringPaging, boolean deletedFolderOnly,
             int rangeCellLimit, DownloadUrls downloads, WorkbookOperations.Settings asyncSessions) {
        this.deletedFolderOnly = deletedFolderOnly;
        this.ranges = new WorkbookRanges(rangeCellLimit);
        this.tables = new WorkbookTables(ranges);
        this.operations = new WorkbookOperations(asyncSessions, sessions);
        this.downloads = downloads;
        this.pageSize = pageSize;
        this.omitPathInDelta = omitPathInDelta;
        this.relistChangedDuringPaging = relistChangedDuringPaging;
    }

    HttpReply handle(GraphRequest request, EmulatedDrive drive, GraphCall call) {
        try {
            return route(request, drive, call);
        } catch (Reply reply) {
            return reply.reply;
        } catch (NoSuchFileException e) {
            return call.error(404, "itemNotFound", "Item not found");
        } catch (IOException | RuntimeException e) {
            return call.error(500, "generalException", "General exception while processing");
        }
    }

    private HttpReply route(GraphRequest request, EmulatedDrive drive, GraphCall call) throws IOException, Reply {
        List<String> segments = request.segments();
        if (!segments.get(0).equals("v1.0")) {
            throw unknownSegment(call, segments.get(0));
        }
        int at = 1;
        DriveAddress address;
        String first = segment(segments, at);
        switch (first) {
            case "me" -> {
                expect(segments, at + 1, "drive", call);
                address = new DriveAddress("/v1.0/me/drive",
                        "users('" + UrlText.encodeSegment(drive.owner.id()) + "')/drive", "/drive/root:");
                at += 2;
            }
            case "drives" -> {
                String driveId = segment(segments, at + 1);
                if (driveId.isEmpty()) {
                    throw unknownSegment(call, first);
                }
                if (!driveId.equals(drive.driveId)) {
                    throw new Reply(call.error(404, "itemNotFound", "Item not found"));
                }
                address = new DriveAddress("/v1.0/drives/" + request.rawSegments().get(at + 1),
                        "drives('" + UrlText.encodeSegment(driveId) + "')", "/drives/" + driveId + "/root:");
                at += 2;
            }
            case "users", "sites", "groups" -> {
                String owner = segment(segments, at + 1);
                if (owner.isEmpty()) {
                    throw unknownSegment(call, first);
                }
                expect(segments, at + 2, "drive", call);
                address = new DriveAddress("/v1.0/" + first + "/" + request.rawSegments().get(at + 1) + "/drive",
                        first + "('" + UrlText.encodeSegment(owner) + "')/drive", "/drive/root:");
                at += 3;
            }
            default -> throw unknownSegment(call, first);
        }
        List<String> rest = segments.subList(Math.min(at, segments.size()), segments.size());
        if (!rest.isEmpty() && rest.get(rest.size() - 1).isEmpty()) {
            rest = rest.subList(0, rest.size() - 1); // a trailing slash
        }
        if (rest.isEmpty()) {
            requireGet(request, call);
            return drive(request, drive, call);
        }
        switch (rest.get(0)) {
            case "root" -> {
                if (rest.size() == 1) {
                    requireGet(request, call);
                    DriveEntry root = drive.index.rescan().root();
                    return item(request, drive, address, root, address.odataPrefix() + "/root/$entity", call);
                }
                Matcher delta = DELTA_SEGMENT.matcher(rest.get(1));
                if (rest.size() == 2 && delta.matches()) {
                    requireGet(request, call);
                    String pathToken = delta.group(1) != null ? delta.group(1) : delta.group(2);
                    return delta(request, drive, address, pathToken == null ? null : UrlText.decode(pathToken, false), call);
                }
                throw unknownSegment(call, rest.get(1));
            }
            case "items" -> {
                if (rest.size() < 2 || rest.get(1).isEmpty()) {
                    throw unknownSegment(call, "items");
                }
                String itemId = rest.get(1);
                if (rest.size() == 2) {
                    requireGet(request, call);
                    DriveEntry entry = existing(drive, itemId, call);
                    return item(request, drive, address, entry, address.odataPrefix() + "/items/$entity", call);
                }
                if (rest.size() == 3 && rest.get(2).equals("children")) {
                    requireGet(request, call);
                    return children(request, drive, address, existing(drive, itemId, call), call);
                }
                if (rest.size() == 3 && rest.get(2).equals("content")) {
                    requireGet(request, call);
                    return content(drive, existing(drive, itemId, call), call);
                }
                if (!rest.get(2).equals("workbook")) {
                    throw unknownSegment(call, rest.get(2));
                }
                String workbookLink = GraphRequest.GRAPH_ORIGIN + address.linkPath() + "/items/"
                        + UrlText.encodeSegment(itemId) + "/workbook";
                if (rest.size() == 4 && (rest.get(3).equals("createSession") || rest.get(3).equals("closeSession"))) {
                    return session(request, drive, workbookLink, itemId, rest.get(3), call);
                }
                if (rest.size() == 5 && rest.get(3).equals("operations")) {
                    requireGet(request, call);
                    existing(drive, itemId, call);
                    return operations.poll(call, workbookLink, itemId, rest.get(4));
                }
                Matcher sessionInfo = SESSION_INFO.matcher(rest.size() == 4 ? rest.get(3) : "");
                if (sessionInfo.matches()) {
                    requireGet(request, call);
                    existing(drive, itemId, call);
                    return operations.sessionInfo(call, itemId, WorkbookRanges.unquote(sessionInfo.group(1)));
                }
                String sessionId = request.headers().get("workbook-session-id");
                if (sessionId != null && !sessions.use(sessionId, itemId)) {
                    throw new Reply(call.excelError(404, "ItemNotFound", "invalidSessionNotFound",
                            "The target session is invalid."));
                }
                if (rest.size() >= 4 && rest.get(3).startsWith("worksheets(") && rest.get(3).endsWith(")")) {
                    // the OData form: worksheets('{id or name}')/usedRange
                    String key = rest.get(3).substring("worksheets(".length(), rest.get(3).length() - 1);
                    requireGet(request, call);
                    return worksheetChild(request, drive, address, itemId, WorkbookRanges.unquote(key),
                            rest.subList(4, rest.size()), call);
                }
                if (rest.size() >= 4 && WorkbookTables.isTablesSegment(rest.get(3))) {
                    requireGet(request, call);
                    DriveEntry entry = existing(drive, itemId, call);
                    return tables.answer(request, call, new WorkbookTables.Scope(drive, entry,
                            itemODataPath(address, itemId), workbookSheets(drive, entry, call), null, null),
                            rest.subList(3, rest.size()));
                }
                if (rest.size() < 4 || !rest.get(3).equals("worksheets")) {
                    throw unknownSegment(call, rest.size() < 4 ? "workbook" : rest.get(3));
                }
                if (rest.size() > 4) {
                    requireGet(request, call);
                    return worksheetChild(request, drive, address, itemId, rest.get(4), rest.subList(5, rest.size()),
                            call);
                }
                requireGet(request, call);
                return worksheets(request, drive, address, itemId, call);
            }
            default -> throw unknownSegment(call, rest.get(0));
        }
    }

    // ---- GET {drive}

    private HttpReply drive(GraphRequest request, EmulatedDrive drive, GraphCall call) throws IOException {
        DriveView view = drive.index.rescan();
        DriveEntry root = view.root();
        ObjectNode json = DriveItemJson.MAPPER.createObjectNode();
        json.put("@odata.context", METADATA + "drives/$entity");
        json.put("createdDateTime", DriveItemJson.date(root.created()));
        json.put("description", "");
        json.put("id", drive.driveId);
        json.put("lastModifiedDateTime", DriveItemJson.date(root.lastModified()));
        json.put("name", "OneDrive");
        json.put("webUrl", drive.webUrl);
        json.put("driveType", DriveItemJson.DRIVE_TYPE);
        json.putObject("createdBy").putObject("user").put("displayName", "System Account");
        json.set("lastModifiedBy", DriveItemJson.identity(drive));
        json.set("owner", DriveItemJson.identity(drive));
        ObjectNode quota = json.putObject("quota");
        long total = 1L << 40;
        quota.put("deleted", 0);
        quota.put("remaining", total - root.size());
        quota.put("state", "normal");
        quota.put("total", total);
        quota.put("used", root.size());
        return call.json(200, Selection.parse(request.option("$select")).apply(json));
    }

    // ---- GET {drive}/items/{id} and {drive}/root

    private HttpReply item(GraphRequest request, EmulatedDrive drive, DriveAddress address, DriveEntry entry,
                           String entitySet, GraphCall call) {
        String guid = ItemIds.itemGuid(entry.id());
        String ifNoneMatch = request.headers().get("if-none-match");
        if (ifNoneMatch != null && (ifNoneMatch.equals("\"{" + guid + "}," + entry.eTagVersion() + "\"")
                || ifNoneMatch.equals("\"c:{" + guid + "}," + entry.cTagVersion() + "\""))) {
            return call.empty(304);
        }
        ObjectNode json = DriveItemJson.MAPPER.createObjectNode();
        json.put("@odata.context", METADATA + entitySet);
        json.setAll(DriveItemJson.item(drive, entry, address.itemPathPrefix(),
                Selection.parse(request.option("$select"))));
        return call.json(200, json);
    }

    // ---- POST {drive}/items/{id}/workbook/createSession and closeSession

    private HttpReply session(GraphRequest request, EmulatedDrive drive, String workbookLink, String itemId,
                              String action, GraphCall call) throws IOException, Reply {
        if (!request.method().equals("POST")) {
            throw new Reply(call.error(405, "methodNotAllowed",
                    "The HTTP method '" + request.method() + "' is not allowed for this resource."));
        }
        existing(drive, itemId, call);
        if (action.equals("closeSession")) {
            String id = request.headers().get("workbook-session-id");
            if (id == null || !sessions.close(id, itemId)) {
                throw new Reply(call.excelError(404, "ItemNotFound", "invalidSessionNotFound",
                        "The target session is invalid."));
            }
            return call.empty(204);
        }
        JsonNode body;
        try {
            body = DriveItemJson.MAPPER.readTree(request.body().isBlank() ? "{}" : request.body());
        } catch (IOException e) {
            throw new Reply(call.error(400, "BadRequest", "Unable to read JSON request payload."));
        }
        boolean persistChanges = body.path("persistChanges").asBoolean(true);
        if (operations.runsAsync(request)) {
            return operations.start(call, workbookLink, itemId, persistChanges);
        }
        WorkbookSessions.Session session = sessions.create(itemId, persistChanges);
        ObjectNode json = DriveItemJson.MAPPER.createObjectNode();
        json.put("@odata.context", METADATA + "microsoft.graph.workbookSessionInfo");
        json.put("id", session.id());
        json.put("persistChanges", session.persistChanges());
        return call.json(201, json);
    }

    WorkbookSessions sessions() {
        return sessions;
    }

    // ---- GET {drive}/items/{id}/content

    /** 302 to a short-lived pre-authenticated download URL, as Graph answers for a file in SharePoint. */
    private HttpReply content(EmulatedDrive drive, DriveEntry entry, GraphCall call) throws Reply {
        if (entry.folder()) {
            // Graph's exact answer for a folder is not documented: refused, as there are no bytes to send
            throw new Reply(call.error(400, "invalidRequest", "The item is a folder and has no content."));
        }
        HttpReply found = call.empty(302);
        found.headers().put("location", downloads.issue(drive, entry));
        return found;
    }

    // ---- GET {drive}/items/{id}/children

    /** A folder's children by name, paged with {@code $top} and an opaque {@code $skiptoken}; a file has none. */
    private HttpReply children(GraphRequest request, EmulatedDrive drive, DriveAddress address, DriveEntry folder,
                               GraphCall call) throws IOException, Reply {
        List<DriveEntry> children = drive.index.rescan().items().stream()
                .filter(entry -> folder.id().equals(entry.parentId()))
                .sorted(Comparator.comparing(DriveEntry::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
        int offset = offset(request.option("$skiptoken"), "ch;", call);
        int end = Math.min(children.size(), offset + top(request, pageSize, call));
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("@odata.context", METADATA + "Collection(driveItem)");
        ArrayNode value = body.putArray("value");
        Selection select = Selection.parse(request.option("$select"));
        for (DriveEntry child : children.subList(Math.min(offset, end), end)) {
            value.add(DriveItemJson.item(drive, child, address.itemPathPrefix(), select));
        }
        if (end < children.size()) {
            body.put("@odata.nextLink", GraphRequest.GRAPH_ORIGIN + request.rawPath()
                    + request.queryWithout("$skiptoken") + "$skiptoken=" + encodeOffset("ch;", end));
        }
        return call.json(200, body);
    }

    // ---- GET {drive}/root/delta

    private HttpReply delta(GraphRequest request, EmulatedDrive drive, DriveAddress address, String pathToken,
                            GraphCall call) throws IOException, Reply {
        int top = top(request, pageSize, call);
        Selection select = Selection.parse(request.option("$select"));
        String skipToken = request.option("$skiptoken");
        DeltaFeed.Page page;
        if (skipToken != null) {
            page = drive.delta.page(skipToken);
            if (page == null) {
                throw resyncRequired(address, call);
            }
            if (relistChangedDuringPaging) {
                page = drive.delta.grow(page, drive.index.rescan());
            }
        } else {
            String token = pathToken != null ? pathToken : request.option("token");
            DriveView view = drive.index.rescan();
            List<Object> items;
            if (token == null) {
                items = new ArrayList<>(view.items());
            } else if (token.equalsIgnoreCase("latest")) {
                items = List.of();
            } else {
                OptionalLong since = sinceSeq(token, drive, view);
                if (since.isEmpty()) {
                    throw resyncRequired(address, call);
                }
                items = view.changesSince(since.getAsLong(), !request.headers().containsKey("deltaexcludeparent"),
                        deletedFolderOnly);
            }
            page = new DeltaFeed.Page(null, new DeltaFeed.Snapshot(List.copyOf(items), view.seq()), 0);
        }

        List<Object> items = page.snapshot().items();
        int end = Math.min(items.size(), page.offset() + top);
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("@odata.context", METADATA + "Collection(driveItem)");
        ArrayNode value = body.putArray("value");
        String pathPrefix = omitPathInDelta ? null : address.itemPathPrefix();
        for (Object item : items.subList(Math.min(page.offset(), end), end)) {
            value.add(item instanceof DriveEntry entry
                    ? DriveItemJson.item(drive, entry, pathPrefix, select)
                    : DriveItemJson.tombstone(drive, (Tombstone) item, select));
        }
        String link = GraphRequest.GRAPH_ORIGIN + address.linkPath() + "/root/delta"
                + request.queryWithout("token", "$skiptoken");
        if (end < items.size()) {
            String next = page.snapshotId() == null
                    ? drive.delta.keep(page.snapshot(), end)
                    : drive.delta.skipToken(page.snapshotId(), end);
            body.put("@odata.nextLink", link + "$skiptoken=" + next);
        } else {
            body.put("@odata.deltaLink", link + "token=" + drive.delta.token(page.snapshot().seq()));
        }
        return call.json(200, body);
    }

    /** A token of ours, or a timestamp (OneDrive for Business accepts {@code token=2021-09-29T20:00:00Z}). */
    private static OptionalLong sinceSeq(String token, EmulatedDrive drive, DriveView view) {
        Instant instant = timestamp(token);
        if (instant != null) {
            return OptionalLong.of(drive.index.seqAt(instant));
        }
        return drive.delta.seqOf(token, view.seq());
    }

    private static Instant timestamp(String token) {
        try {
            return OffsetDateTime.parse(token).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** 410 Gone with a Location that starts over, and the body live Graph sent (onedrive-api-docs#1356). */
    private static Reply resyncRequired(DriveAddress address, GraphCall call) {
        HttpReply gone = call.error(410, "resyncRequired", RESYNC_MESSAGE);
        gone.headers().put("location", GraphRequest.GRAPH_ORIGIN + address.linkPath() + "/root/delta");
        return new Reply(gone);
    }

    // ---- GET {drive}/items/{id}/workbook/worksheets

    private HttpReply worksheets(GraphRequest request, EmulatedDrive drive, DriveAddress address, String itemId,
                                 GraphCall call) throws IOException, Reply {
        List<XlsxSheets.Sheet> sheets = workbookSheets(drive, existing(drive, itemId, call), call);
        int offset = offset(request.option("$skiptoken"), "ws;", call);
        String top = request.option("$top");
        int end = top == null ? sheets.size() : Math.min(sheets.size(), offset + top(request, pageSize, call));

        String itemPath = address.odataPrefix() + "/items('" + UrlText.encodeSegment(itemId) + "')/workbook/worksheets";
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("@odata.context", METADATA + itemPath);
        ArrayNode value = body.putArray("value");
        for (XlsxSheets.Sheet sheet : sheets.subList(Math.min(offset, end), end)) {
            String id = worksheetId(sheet.sheetId());
            ObjectNode json = value.addObject();
            json.put("@odata.id", "/" + itemPath + "(%27" + UrlText.encodeSegment(id) + "%27)");
            json.put("id", id);
            json.put("name", sheet.name());
            json.put("position", sheet.position());
            json.put("visibility", sheet.visibility().graphName());
        }
        if (end < sheets.size()) {
            body.put("@odata.nextLink", GraphRequest.GRAPH_ORIGIN + request.rawPath()
                    + request.queryWithout("$skiptoken") + "$skiptoken=" + encodeOffset("ws;", end));
        }
        return call.json(200, body);
    }

    // ---- GET {drive}/items/{id}/workbook/worksheets/{id or name}/usedRange and /range(address='A1:C3')

    /**
     * A worksheet's tables, usedRange or range: {@code worksheet} is the worksheet's id or name, decoded; {@code rest}
     * the segments after it.
     */
    private HttpReply worksheetChild(GraphRequest request, EmulatedDrive drive, DriveAddress address, String itemId,
                                     String worksheet, List<String> rest, GraphCall call) throws IOException, Reply {
        boolean tablesAsked = !rest.isEmpty() && WorkbookTables.isTablesSegment(rest.get(0));
        WorkbookRanges.Ask ask = rest.size() == 1 ? WorkbookRanges.parse(rest.get(0)) : null;
        if (ask == null && !tablesAsked) {
            throw unknownSegment(call, rest.isEmpty() ? worksheet : rest.get(0));
        }
        DriveEntry entry = existing(drive, itemId, call);
        List<XlsxSheets.Sheet> sheets = workbookSheets(drive, entry, call);
        XlsxSheets.Sheet sheet = sheets.stream()
                .filter(s -> worksheetId(s.sheetId()).equalsIgnoreCase(worksheet)
                        || s.name().equalsIgnoreCase(worksheet))
                .findFirst().orElse(null);
        if (sheet == null) {
            throw new Reply(call.excelError(404, "ItemNotFound", "itemNotFound",
                    "The requested resource doesn't exist."));
        }
        if (tablesAsked) {
            return tables.answer(request, call, new WorkbookTables.Scope(drive, entry, itemODataPath(address, itemId),
                    sheets, sheet, worksheet), rest);
        }
        SheetCells cells;
        try {
            cells = ranges.cells(entry.path(), entry.size(), entry.fileTime(), sheet.sheetId());
        } catch (XlsxSheets.NotAnXlsxException e) {
            throw new Reply(call.json(500, genericFileOpenError(call)));
        }
        String worksheetODataId = "/" + itemODataPath(address, itemId) + "/workbook/worksheets(%27"
                + UrlText.encodeSegment(worksheetId(sheet.sheetId())) + "%27)";
        return ranges.answer(request, call, sheet.name(), worksheetODataId, cells, ask);
    }

    /** The item in {@code @odata.context}/{@code @odata.id} form: {@code drives('b%21…')/items('01…')}. */
    private static String itemODataPath(DriveAddress address, String itemId) {
        return address.odataPrefix() + "/items('" + UrlText.encodeSegment(itemId) + "')";
    }

    /** The worksheets of an item the workbook API can open: 400 for other items, 500 for a broken .xlsx. */
    private static List<XlsxSheets.Sheet> workbookSheets(EmulatedDrive drive, DriveEntry entry, GraphCall call)
            throws IOException, Reply {
        String name = entry.name().toLowerCase(Locale.ROOT);
        if (entry.folder() || !(name.endsWith(".xlsx") || name.endsWith(".xlsm"))) {
            throw new Reply(call.error(400, "invalidRequest",
                    "The workbook API supports only Office Open XML workbooks (.xlsx); this item is not one."));
        }
        try {
            return drive.index.facts().sheets(entry.path(), entry.size(), entry.fileTime());
        } catch (XlsxSheets.NotAnXlsxException e) {
            throw new Reply(call.json(500, genericFileOpenError(call)));
        }
    }

    /**
     * Excel's worksheet id: a brace GUID whose fourth group holds {@code sheetId - 1} as a little-endian 16-bit
     * number, so sheetId 1 → {@code {00000000-0001-0000-0000-000000000000}}, 2 → {@code …-0100-…}.
     */
    static String worksheetId(int sheetId) {
        int n = (sheetId - 1) & 0xFFFF;
        return String.format(Locale.ROOT, "{00000000-0001-0000-%02X%02X-000000000000}", n & 0xFF, n >> 8);
    }

    /** The 2026 shape of live GenericFileOpenError (graph-explorer-v4#4031), as valid JSON. */
    static ObjectNode genericFileOpenError(GraphCall call) {
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", "GenericFileOpenError");
        error.put("message", "The workbook cannot be opened.");
        call.fillInnerError(fileOpenCause(error));
        return body;
    }

    /**
     * Excel's nesting of a workbook it cannot open, below an error's own code: {@code internalServerErrorUncategorized}
     * then {@code GenericFileOpenError}; the first-level innerError, for its date and request ids.
     */
    static ObjectNode fileOpenCause(ObjectNode error) {
        ObjectNode inner = error.putObject("innerError");
        inner.put("code", "internalServerErrorUncategorized");
        inner.put("message", "An unspecified error has occurred.");
        ObjectNode innermost = inner.putObject("innerError");
        innermost.put("code", "GenericFileOpenError");
        innermost.put("message", "The workbook cannot be opened.");
        return inner;
    }

    /** An opaque skip token: the offset with the listing's prefix, so one listing's token fails in another. */
    private static String encodeOffset(String prefix, int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String skipToken, String prefix, GraphCall call) throws Reply {
        if (skipToken == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8);
            if (text.startsWith(prefix)) {
                return Math.max(0, Integer.parseInt(text.substring(prefix.length())));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new Reply(call.error(400, "BadRequest", "The skip token is invalid."));
    }

    // ---- shared

    private static int top(GraphRequest request, int defaultTop, GraphCall call) throws Reply {
        String top = request.option("$top");
        if (top == null) {
            return defaultTop;
        }
        try {
            int value = Integer.parseInt(top.trim());
            if (value >= 0) {
                return Math.max(1, Math.min(MAX_TOP, value));
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new Reply(call.error(400, "BadRequest", "Invalid value '" + top + "' for $top query option found. "
                + "The $top query option requires a non-negative integer value."));
    }

    private static DriveEntry existing(EmulatedDrive drive, String itemId, GraphCall call) throws IOException, Reply {
        DriveEntry entry = drive.index.lookup(itemId);
        if (entry == null) {
            throw new Reply(call.error(404, "itemNotFound", "Item not found"));
        }
        return entry;
    }

    private static void requireGet(GraphRequest request, GraphCall call) throws Reply {
        if (!request.method().equals("GET")) {
            throw new Reply(call.error(405, "methodNotAllowed",
                    "The HTTP method '" + request.method() + "' is not allowed for this resource."));
        }
    }

    private static void expect(List<String> segments, int at, String expected, GraphCall call) throws Reply {
        if (!segment(segments, at).equals(expected)) {
            throw unknownSegment(call, at < segments.size() ? segments.get(at) : segments.get(at - 1));
        }
    }

    private static String segment(List<String> segments, int at) {
        return at < segments.size() ? segments.get(at) : "";
    }

    static Reply unknownSegment(GraphCall call, String segment) {
        return new Reply(call.error(400, "BadRequest", "Resource not found for the segment '" + segment + "'."));
    }
}
