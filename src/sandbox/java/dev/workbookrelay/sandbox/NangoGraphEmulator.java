package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the Nango proxy in front of Microsoft Graph, serving folders of real files as OneDrive for
 * Business drives. It answers like the real services: Nango's own checks and error bodies first, then Graph's
 * JSON for the drive, its delta feed, items, workbook worksheets, tables and their ranges, and workbook sessions, read
 * from disk at each request. A file's {@code /content} redirects to a download URL this server also answers (as
 * SharePoint would, outside {@code /proxy}); the proxy follows the redirect, as Nango's does.
 *
 * <pre>{@code
 * try (NangoGraphEmulator emulator = NangoGraphEmulator.builder()
 *         .secretKey("3f2a…-4…")                       // a UUID v4, sent as "Authorization: Bearer <key>"
 *         .connection("one-drive", "alice", Path.of("src/sandbox/drive"))
 *         .build().start()) {
 *     String url = emulator.baseUrl() + "/proxy/v1.0/me/drive/root/delta";
 * }
 * }</pre>
 */
public final class NangoGraphEmulator implements AutoCloseable {

    private static final int NANGO_RATE_LIMIT = 2000;
    private static final long BACKOFF_CAP_MS = Duration.ofMinutes(10).toMillis();

    private final int port;
    private final Map<String, Map<String, EmulatedDrive>> connections;
    private final NangoGate gate;
    private final ConnectionsApi connectionsApi = new ConnectionsApi();
    private final GraphApi graph;
    private final FaultPlan faults = new FaultPlan();
    private final DownloadUrls downloads = new DownloadUrls();
    private final ProxyRedirects redirects = new ProxyRedirects();
    /** Null when Graph's per-connection rate limit is not emulated (the default). */
    private final GraphRateLimiter rateLimiter;
    private final boolean recordRequests;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicInteger graphCalls = new AtomicInteger();
    private final AtomicLong rateWindow = new AtomicLong();
    private final AtomicInteger rateCount = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;

    private NangoGraphEmulator(Builder settings, Map<String, Map<String, EmulatedDrive>> connections) {
        this.port = settings.port;
        this.connections = connections;
        this.gate = new NangoGate(settings.secretKey, connections);
        this.graph = new GraphApi(settings.pageSize, settings.omitPathInDelta, settings.relistChangedDuringPaging,
                settings.deletedFolderOnly, settings.rangeCellLimit, downloads, settings.asyncSessions);
        this.recordRequests = settings.recordRequests;
        this.rateLimiter = settings.rateLimitRequests == 0 ? null
                : new GraphRateLimiter(settings.rateLimitRequests, settings.rateLimitWindow);
        connections.forEach((key, drives) -> drives.keySet().forEach(id -> connectionsApi.added(key, id)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds 127.0.0.1 (on the configured port, or an ephemeral one) and starts serving. */
    public synchronized NangoGraphEmulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        // small responses must not wait for the client's delayed ACK (Nagle): about 40 ms per call otherwise
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "nango-graph-emulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        downloads.origin(baseUrl()); // Graph's /content redirects to download URLs this server answers
        return this;
    }

    /** {@code http://127.0.0.1:<port>}: what a client uses in place of {@code https://api.nango.dev}. */
    public String baseUrl() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The id Graph gives the drive of a connection (as in {@code /v1.0/drives/{driveId}}). */
    public String driveId(String providerConfigKey, String connectionId) {
        Map<String, EmulatedDrive> integration = connections.get(providerConfigKey);
        EmulatedDrive drive = integration == null ? null : integration.get(connectionId);
        if (drive == null) {
            throw new IllegalArgumentException("no connection " + providerConfigKey + "/" + connectionId);
        }
        return drive.driveId;
    }

    /**
     * A connection made while running, as when an end user connects an account: served by the proxy and listed by
     * {@code GET /connections} from now on (newest first).
     */
    public void addConnection(String providerConfigKey, String connectionId, Path driveRoot) throws IOException {
        connections.computeIfAbsent(providerConfigKey, k -> new java.util.concurrent.ConcurrentHashMap<>())
                .put(connectionId, new EmulatedDrive(providerConfigKey, connectionId, driveRoot.toRealPath()));
        connectionsApi.added(providerConfigKey, connectionId);
    }

    /** A connection deleted in Nango: the proxy answers for it as for an unknown one, the listing leaves it out. */
    public void removeConnection(String providerConfigKey, String connectionId) {
        Map<String, EmulatedDrive> integration = connections.get(providerConfigKey);
        if (integration != null) {
            integration.remove(connectionId);
        }
        connectionsApi.removed(providerConfigKey, connectionId);
    }

    /** Whether the listing reports the connection's token refresh as failing ({@code errors: [{type: auth}]}). */
    public void refreshFailing(String providerConfigKey, String connectionId, boolean failing) {
        connectionsApi.refreshFailing(providerConfigKey, connectionId, failing);
    }

    /** Every request received so far, oldest first (a copy). */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** How many calls reached "Graph", i.e. passed Nango's checks (proxy retries count each attempt). */
    public int graphCalls() {
        return graphCalls.get();
    }

    /**
     * Scans every drive and reads every workbook's sheet list once, as the first requests would, so that a
     * benchmark's first sync does not pay for what later syncs get from the emulator's caches.
     */
    public void warmUp() throws IOException {
        for (Map<String, EmulatedDrive> drives : connections.values()) {
            for (EmulatedDrive drive : drives.values()) {
                for (DriveEntry entry : drive.index.rescan().items()) {
                    String name = entry.name().toLowerCase(Locale.ROOT);
                    if (!entry.folder() && (name.endsWith(".xlsx") || name.endsWith(".xlsm"))) {
                        try {
                            drive.index.facts().sheets(entry.path(), entry.size(), entry.fileTime());
                        } catch (IOException e) {
                            // the worksheets call answers this file's error when asked
                        }
                    }
                }
            }
        }
    }

    /** How many calls the Graph rate limit ({@link Builder#graphRateLimit}) answered with 429; 0 when it is off. */
    public int throttledCalls() {
        return rateLimiter == null ? 0 : rateLimiter.throttledCalls();
    }

    public FaultPlan faults() {
        return faults;
    }

    /**
     * Every download URL handed out so far (by {@code /content} redirects) expires, as they do after an hour: using
     * one gets SharePoint's 401.
     */
    public void expireDownloadUrls() {
        downloads.expireAll();
    }

    /** Expires every workbook session (Graph does after minutes without use): the next call in one gets a 404. */
    public void expireWorkbookSessions() {
        graph.sessions().expireAll();
    }

    /**
     * Every workbook session expires once {@code calls} calls were made in it (as Graph's expire after minutes
     * without use, at a moment a test can name); 0 turns it off.
     */
    public void expireWorkbookSessionsAfter(int calls) {
        graph.sessions().expireAfterCalls(calls);
    }

    /** The workbook sessions created so far: {@code [itemId, persistChanges, closed, calls made in it]} each. */
    public List<List<Object>> workbookSessions() {
        return graph.sessions().all().stream()
                .map(s -> List.<Object>of(s.itemId(), s.persistChanges(), s.closed(), s.calls())).toList();
    }

    /** Invalidates every delta token and nextLink handed out so far, on every drive: their next use gets 410. */
    public void expireDeltaTokens() {
        connections.values().forEach(drives -> drives.values().forEach(drive -> drive.delta.expireAll()));
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    // ---- request handling

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            java.time.Instant receivedAt = java.time.Instant.now();
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));

            HttpReply reply;
            try {
                reply = respond(method, pathAndQuery, headers, body);
            } catch (RuntimeException e) {
                reply = new HttpReply(500, new LinkedHashMap<>(), new byte[0]); // Nango's internal failure: empty body
            }
            if (recordRequests) {
                synchronized (requests) {
                    requests.add(new RecordedRequest(method, pathAndQuery, copy(headers), reply.status(), receivedAt,
                            java.time.Instant.now()));
                }
            }
            send(exchange, method, reply);
        }
    }

    private HttpReply respond(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
        String[] split = pathAndQuery.split("\\?", 2);
        String path = split[0];
        if (path.equals("/connections") && method.equals("GET")) {
            HttpReply refused = gate.authenticate(headers);
            return refused != null ? refused : connectionsApi.list(split.length > 1 ? split[1] : null);
        }
        if (DownloadUrls.isDownloadPath(path)) {
            // SharePoint, not Nango: a pre-authenticated URL needs no header
            try {
                return downloads.serve(method, split.length > 1 ? split[1] : null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!path.equals("/proxy") && !path.startsWith("/proxy/")) {
            return HttpReply.nango(404, NangoGate.NOT_FOUND);
        }
        Object checked = gate.check(headers);
        if (checked instanceof HttpReply refusal) {
            return refusal;
        }
        NangoGate.Admitted admitted = (NangoGate.Admitted) checked;
        // Nango's endpoint: the original URL minus the /proxy prefix
        String endpoint = pathAndQuery.replaceFirst("^/proxy/?", "/");
        FaultPlan.Action nangoFault = faults.take(endpoint, null, true);
        if (nangoFault != null && nangoFault.kind() == FaultPlan.Kind.ECHO_REQUEST) {
            return echo(method, pathAndQuery, headers);
        }
        if (nangoFault != null) {
            return nangoFault.reply(); // e.g. 424 connection_refresh_backoff: Nango answers, Graph never sees it
        }
        Map<String, String> forwarded = forwardedHeaders(headers);
        GraphRequest request = GraphRequest.parse(method, endpoint, forwarded, body);
        Map<String, String> resentOnRedirect = ProxyRedirects.resentHeaders(headers, forwarded);

        HttpReply reply;
        for (int attempt = 0; ; attempt++) {
            reply = followRedirects(callGraph(request, endpoint, admitted.drive()), method, resentOnRedirect);
            if (attempt >= admitted.retries() || !retryable(reply.status(), admitted.retryOn())) {
                break;
            }
            sleep(backoffMillis(reply, attempt));
        }
        addNangoRateLimit(reply);
        return reply;
    }

    /** What axios does inside one attempt: a redirect (a /content 302) is followed to the answer at its end. */
    private HttpReply followRedirects(HttpReply graphReply, String method, Map<String, String> resent) {
        HttpReply reply = redirects.follow(graphReply, method, resent);
        if (reply != graphReply && (graphReply.cutMidBody() || graphReply.trickle() != null)) {
            // a body fault injected on the redirecting call acts on the body the caller receives: the file
            reply = new HttpReply(reply.status(), reply.headers(), reply.body(), graphReply.cutMidBody(),
                    graphReply.trickle());
        }
        return reply;
    }

    private HttpReply callGraph(GraphRequest request, String endpoint, EmulatedDrive drive) {
        // the injected latency is the time to the answer, whatever the emulator spends making it (as Graph's own
        // work is part of its latency): the answer is made at once and sent when the latency has passed
        long answerAt = System.nanoTime() + faults.delay().toNanos();
        graphCalls.incrementAndGet();
        GraphCall call = new GraphCall(request.headers());
        // throttling is decided when the call arrives; the answer, like any other, takes the injected latency
        HttpReply throttled = rateLimiter == null ? null : rateLimiter.admit(drive, call);
        HttpReply reply = throttled != null ? throttled : answer(request, endpoint, drive, call);
        sleepUntil(answerAt);
        return reply;
    }

    private HttpReply answer(GraphRequest request, String endpoint, EmulatedDrive drive, GraphCall call) {
        FaultPlan.Action fault = faults.take(endpoint, call, false);
        if (fault != null && fault.reply() != null) {
            return fault.reply();
        }
        if (fault != null && fault.kind() == FaultPlan.Kind.SLOW) {
            sleep(fault.delay().toMillis());
        }
        HttpReply real = graph.handle(request, drive, call);
        return fault == null ? real : fault.alter(real);
    }

    /** A 502 of a careless proxy: the request it got, every header included, in its error message. */
    private static HttpReply echo(String method, String pathAndQuery, Map<String, List<String>> headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(pathAndQuery);
        headers.forEach((name, values) -> request.append("; ").append(name).append(": ").append(String.join(",",
                values)));
        com.fasterxml.jackson.databind.node.ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.putObject("error").put("code", "bad_gateway").put("message", "upstream unavailable for " + request);
        return HttpReply.nango(502, body.toString());
    }

    /** Only {@code Nango-Proxy-*} headers reach the provider, prefix stripped and lower-cased. */
    private static Map<String, String> forwardedHeaders(Map<String, List<String>> headers) {
        Map<String, String> forwarded = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name.startsWith("nango-proxy-") && name.length() > "nango-proxy-".length()) {
                forwarded.put(name.substring("nango-proxy-".length()), values.isEmpty() ? "" : values.get(0));
            }
        });
        return forwarded;
    }

    /** Nango's default retry rule: 5xx, 429 and 401, plus the statuses of {@code Retry-On}. */
    private static boolean retryable(int status, Set<Integer> retryOn) {
        return status >= 500 || status == 429 || status == 401 || retryOn.contains(status);
    }

    /** Microsoft's provider entry waits {@code Retry-After} seconds when sent, else 3 s · 2^attempt. */
    private static long backoffMillis(HttpReply reply, int attempt) {
        String retryAfter = reply.header("retry-after");
        if (retryAfter != null) {
            try {
                return Math.max(0, (long) (Double.parseDouble(retryAfter.trim()) * 1000));
            } catch (NumberFormatException e) {
                // not a number of seconds: fall back to the backoff
            }
        }
        return Math.min(BACKOFF_CAP_MS, 3000L << Math.min(attempt, 20));
    }

    /** Nango's own API rate limit headers (a fixed one-minute window), added to what the provider answered. */
    private void addNangoRateLimit(HttpReply reply) {
        long window = System.currentTimeMillis() / 60_000;
        if (rateWindow.getAndSet(window) != window) {
            rateCount.set(0);
        }
        int used = rateCount.incrementAndGet();
        reply.headers().put("x-ratelimit-limit", Integer.toString(NANGO_RATE_LIMIT));
        reply.headers().put("x-ratelimit-remaining", Integer.toString(Math.max(0, NANGO_RATE_LIMIT - used)));
        reply.headers().put("x-ratelimit-reset", Long.toString((window + 1) * 60));
    }

    private static void send(HttpExchange exchange, String method, HttpReply reply) throws IOException {
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        boolean noBody = method.equals("HEAD") || reply.body().length == 0
                || reply.status() == 204 || reply.status() == 304;
        exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
        if (reply.cutMidBody() && !noBody) {
            // a connection reset mid-body: half of what Content-Length promised, then the socket goes away
            OutputStream out = exchange.getResponseBody();
            out.write(reply.body(), 0, reply.body().length / 2);
            out.flush();
            // leaving the handler with an exception makes the JDK server close the connection, short of the length
            throw new IOException("fault: connection dropped mid-body");
        }
        if (reply.trickle() != null && !noBody) {
            // a byte at a time: the client's socket timeout (per read) never fires; only a deadline on the whole call
            // stops it. A client that gives up closes the connection, and the next write fails here.
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte b : reply.body()) {
                    out.write(b);
                    out.flush();
                    sleep(reply.trickle().toMillis());
                }
            }
            return;
        }
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    /** Parks (to the microsecond, where {@code Thread.sleep} would round to milliseconds) until the deadline. */
    private static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of an emulator; {@link #build()} checks them. */
    public static final class Builder {
        private String secretKey;
        private final Map<String, Map<String, Path>> connections = new LinkedHashMap<>();
        private int pageSize = 200;
        private boolean omitPathInDelta = true;
        private boolean relistChangedDuringPaging;
        private boolean deletedFolderOnly;
        private int rangeCellLimit;
        private int port;
        private int rateLimitRequests;
        private Duration rateLimitWindow;
        private boolean recordRequests = true;
        private WorkbookOperations.Settings asyncSessions = WorkbookOperations.Settings.OFF;

        private Builder() {
        }

        /**
         * Emulates Graph's throttling: per connection, at most {@code requests} Graph calls in any sliding
         * {@code window} (Excel's guidance is 1500 per 10 s); calls beyond get 429 {@code TooManyRequests} with a
         * {@code Retry-After}, counted by {@link NangoGraphEmulator#throttledCalls()}. Off by default.
         */
        public Builder graphRateLimit(int requests, Duration window) {
            if (requests < 1 || window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("graphRateLimit needs requests >= 1 and a positive window");
            }
            this.rateLimitRequests = requests;
            this.rateLimitWindow = window;
            return this;
        }

        /** The environment's secret key: a UUID v4, as Nango issues them. */
        public Builder secretKey(String secretKey) {
            this.secretKey = secretKey;
            return this;
        }

        /** A connection whose drive is the folder {@code driveRoot}; repeat for more (several per key is fine). */
        public Builder connection(String providerConfigKey, String connectionId, Path driveRoot) {
            connections.computeIfAbsent(Objects.requireNonNull(providerConfigKey), k -> new LinkedHashMap<>())
                    .put(Objects.requireNonNull(connectionId), Objects.requireNonNull(driveRoot));
            return this;
        }

        /** Items per delta page when the request has no {@code $top}; Graph's default is 200. */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Whether delta items leave out {@code parentReference.path}, as Graph documents (default true); a GET of
         * an item always has it.
         */
        public Builder omitPathInDelta(boolean omitPathInDelta) {
            this.omitPathInDelta = omitPathInDelta;
            return this;
        }

        /**
         * Whether items that change while a delta enumeration is being paged are listed again, at its end (default
         * false): Graph may list an item more than once in one delta feed, and the last occurrence is the one that
         * counts. Each next page then rescans the drive's folder.
         */
        public Builder relistChangedDuringPaging(boolean relist) {
            this.relistChangedDuringPaging = relist;
            return this;
        }

        /**
         * Whether a deleted folder is listed by delta without what was in it (default false: each item deleted
         * with it is listed too). Some drives do this; a renamed or moved folder is always listed alone, as Graph
         * does (its children's items did not change).
         */
        public Builder deletedFolderOnly(boolean deletedFolderOnly) {
            this.deletedFolderOnly = deletedFolderOnly;
            return this;
        }

        /**
         * A {@code range} or {@code usedRange} answer that would carry more than this many cells in a grid property
         * it returns ({@code values}, {@code valueTypes}, {@code numberFormat}, {@code text}, {@code formulas*}, after
         * {@code $select}) is refused with 400 {@code ResponsePayloadSizeLimitExceeded}, as the service refuses too
         * large a payload; one selecting only scalars such as {@code address} always passes. 0 (the default): only
         * Graph's own ceiling of 5,000,000 cells a read applies.
         */
        public Builder rangeCellLimit(int cells) {
            if (cells < 0) {
                throw new IllegalArgumentException("rangeCellLimit must be >= 0, got " + cells);
            }
            this.rangeCellLimit = cells;
            return this;
        }

        /**
         * Whether {@link NangoGraphEmulator#requests()} keeps every request (default true); a benchmark making
         * hundreds of thousands of calls turns it off and reads {@link NangoGraphEmulator#graphCalls()} instead.
         */
        public Builder recordRequests(boolean recordRequests) {
            this.recordRequests = recordRequests;
            return this;
        }

        /**
         * {@code createSession} sent with {@code Prefer: respond-async} (through Nango: {@code Nango-Proxy-Prefer})
         * answers 202 with a {@code Location} of a workbook operation, whose first {@code runningPolls} polls read
         * {@code running} and the next {@code succeeded}, with a {@code resourceLocation} giving the session. Without
         * this (the default), or without the header, createSession answers 201 at once.
         */
        public Builder createSessionAsync(int runningPolls) {
            return asyncSessions(runningPolls, false);
        }

        /** As {@link #createSessionAsync}, but the operation ends {@code failed} (HTTP 200, Microsoft's sample error). */
        public Builder createSessionAsyncFailing(int runningPolls) {
            return asyncSessions(runningPolls, true);
        }

        private Builder asyncSessions(int runningPolls, boolean fails) {
            if (runningPolls < 0) {
                throw new IllegalArgumentException("runningPolls must be >= 0, got " + runningPolls);
            }
            this.asyncSessions = new WorkbookOperations.Settings(runningPolls, fails);
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public NangoGraphEmulator build() {
            if (secretKey == null || !NangoGate.UUID_V4.matcher(secretKey).matches()) {
                throw new IllegalArgumentException("secretKey must be a UUID v4, got " + secretKey);
            }
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("pageSize must be 1..1000, got " + pageSize);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            // concurrent: connections come and go while the emulator serves (addConnection, removeConnection)
            Map<String, Map<String, EmulatedDrive>> drives = new java.util.concurrent.ConcurrentHashMap<>();
            connections.forEach((key, byId) -> byId.forEach((connectionId, folder) -> {
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("drive folder of " + key + "/" + connectionId
                            + " is not a directory: " + folder);
                }
                try {
                    drives.computeIfAbsent(key, k -> new java.util.concurrent.ConcurrentHashMap<>())
                            .put(connectionId, new EmulatedDrive(key, connectionId, folder.toRealPath()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            return new NangoGraphEmulator(this, drives);
        }
    }
}
