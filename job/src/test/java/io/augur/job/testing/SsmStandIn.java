package io.augur.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A stand-in for Systems Manager's OpsCenter API on loopback (AWS JSON 1.1: POST /, {@code X-Amz-Target:
 * AmazonSSM.CreateOpsItem | UpdateOpsItem | DescribeOpsItems}). It keeps OpsItems like OpsCenter does, including
 * {@code /aws/dedup}: a creation whose dedup string matches an item that is not Resolved creates nothing and answers
 * with the existing item's id (or, in {@link DedupAnswer#ALREADY_EXISTS}, with OpsItemAlreadyExistsException carrying
 * it). It records every request and injects faults chosen per request: throttling (400 ThrottlingException), 500s
 * (both before the request is applied) and slow answers (applied, then answered after a delay, so a client that
 * timed out retries a request that already took effect).
 */
public final class SsmStandIn implements AutoCloseable {
    public enum Fault { NONE, THROTTLE, ERROR_500, SLOW }

    public enum DedupAnswer { EXISTING_ID, ALREADY_EXISTS }

    /** One request as received, with what was done about it. */
    public record Request(int number, String action, JsonNode body, Fault fault, int status) {}

    /** An OpsItem as the stand-in keeps it. */
    public static final class Item {
        public final String id;
        public final String title;
        public final String source;
        public final String category;
        public String severity;
        public String status = "Open";
        public String description;
        public final Map<String, String> data = new LinkedHashMap<>();
        public final List<String> appliedNotifications = new ArrayList<>();
        final long created;

        Item(String id, String title, String source, String category, long created) {
            this.id = id;
            this.title = title;
            this.source = source;
            this.category = category;
            this.created = created;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Request> log = new ArrayList<>();
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, String> dedup = new LinkedHashMap<>();
    private volatile BiFunction<Integer, String, Fault> faults = (n, action) -> Fault.NONE;
    private volatile long slowMs = 3_000;
    private volatile DedupAnswer dedupAnswer = DedupAnswer.EXISTING_ID;
    private int dedupHits;

    private SsmStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public static SsmStandIn start() throws IOException {
        return new SsmStandIn();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Which fault request number n (from 1) of an action gets. */
    public SsmStandIn faults(BiFunction<Integer, String, Fault> f) {
        this.faults = f;
        return this;
    }

    public SsmStandIn slowAnswers(long ms) {
        this.slowMs = ms;
        return this;
    }

    public SsmStandIn dedupAnswer(DedupAnswer a) {
        this.dedupAnswer = a;
        return this;
    }

    public synchronized List<Request> requests() {
        return new ArrayList<>(log);
    }

    public synchronized List<Item> items() {
        return new ArrayList<>(items.values());
    }

    public synchronized int dedupHits() {
        return dedupHits;
    }

    private void handle(HttpExchange ex) throws IOException {
        int n = requests.incrementAndGet();
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        String action = target == null ? "" : target.substring(target.indexOf('.') + 1);
        JsonNode body;
        try {
            body = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        } catch (IOException e) {
            body = MAPPER.createObjectNode();
        }
        Fault fault = faults.apply(n, action);
        int status;
        String answer;
        if (fault == Fault.THROTTLE) {
            status = 400;
            answer = error("ThrottlingException", "Rate exceeded");
        } else if (fault == Fault.ERROR_500) {
            status = 500;
            answer = error("InternalServerError", "injected");
        } else {
            Object[] r = apply(action, body);
            status = (Integer) r[0];
            answer = (String) r[1];
        }
        synchronized (this) {
            log.add(new Request(n, action, body, fault, status));
        }
        if (fault == Fault.SLOW) {
            try {
                Thread.sleep(slowMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        try {
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.getResponseHeaders().add("x-amzn-RequestId", "req-" + n);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: the request was applied anyway
        } finally {
            ex.close();
        }
    }

    private synchronized Object[] apply(String action, JsonNode b) {
        switch (action) {
            case "CreateOpsItem": return create(b);
            case "UpdateOpsItem": return update(b);
            case "DescribeOpsItems": return describe(b);
            default: return new Object[] {400, error("InvalidAction", "unknown action " + action)};
        }
    }

    private Object[] create(JsonNode b) {
        String title = b.path("Title").asText("");
        String source = b.path("Source").asText("");
        String description = b.path("Description").asText("");
        String severity = b.path("Severity").asText("");
        String lower = source.toLowerCase(Locale.ROOT);
        if (title.isEmpty() || title.length() > 1024) return validation("Title must be 1-1024 characters");
        if (source.isEmpty() || lower.contains("aws") || lower.contains("amazon") || lower.contains("amzn")) return validation("Source is not valid");
        if (description.isEmpty() || description.length() > 2048) return validation("Description must be 1-2048 characters");
        if (!severity.isEmpty() && !severity.matches("[1-4]")) return validation("Severity must be 1-4");
        JsonNode data = b.path("OperationalData");
        String dedupString = null;
        if (data.has("/aws/dedup")) dedupString = readTree(data.path("/aws/dedup").path("Value").asText()).path("dedupString").asText(null);
        if (dedupString != null && dedup.containsKey(dedupString)) {
            Item existing = items.get(dedup.get(dedupString));
            if (!"Resolved".equals(existing.status)) {
                dedupHits++;
                if (dedupAnswer == DedupAnswer.ALREADY_EXISTS) {
                    ObjectNode e = MAPPER.createObjectNode().put("__type", "OpsItemAlreadyExistsException")
                            .put("message", "The OpsItem already exists.").put("OpsItemId", existing.id);
                    return new Object[] {400, e.toString()};
                }
                return new Object[] {200, MAPPER.createObjectNode().put("OpsItemId", existing.id).toString()};
            }
        }
        Item item = new Item(String.format("oi-%012x", items.size() + 1), title, source, b.path("Category").asText(""), System.currentTimeMillis());
        item.description = description;
        item.severity = severity;
        data.fields().forEachRemaining(e -> item.data.put(e.getKey(), e.getValue().path("Value").asText()));
        item.appliedNotifications.add(item.data.get("augur:notificationId"));
        items.put(item.id, item);
        if (dedupString != null) dedup.put(dedupString, item.id);
        return new Object[] {200, MAPPER.createObjectNode().put("OpsItemId", item.id).toString()};
    }

    private Object[] update(JsonNode b) {
        Item item = items.get(b.path("OpsItemId").asText());
        if (item == null) return new Object[] {400, error("OpsItemNotFoundException", "The specified OpsItem ID doesn't exist.")};
        if (b.has("Description")) {
            if (b.get("Description").asText().length() > 2048) return validation("Description must be 1-2048 characters");
            item.description = b.get("Description").asText();
        }
        if (b.has("Severity")) item.severity = b.get("Severity").asText();
        if (b.has("Status")) item.status = b.get("Status").asText();
        b.path("OperationalData").fields().forEachRemaining(e -> item.data.put(e.getKey(), e.getValue().path("Value").asText()));
        item.appliedNotifications.add(item.data.get("augur:notificationId"));
        return new Object[] {200, "{}"};
    }

    private Object[] describe(JsonNode b) {
        List<Item> matches = new ArrayList<>(items.values());
        for (JsonNode f : b.path("OpsItemFilters")) {
            if (!"OperationalData".equals(f.path("Key").asText()) || !"Equal".equals(f.path("Operator").asText())) {
                return validation("the stand-in supports only OperationalData Equal filters");
            }
            JsonNode kv = readTree(f.path("Values").path(0).asText());
            String k = kv.path("key").asText();
            String v = kv.path("value").asText();
            matches.removeIf(i -> !v.equals(i.data.get(k)));
        }
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode summaries = out.putArray("OpsItemSummaries");
        for (Item i : matches) {
            summaries.addObject().put("OpsItemId", i.id).put("Status", i.status).put("Title", i.title).put("Source", i.source)
                    .put("Severity", i.severity).put("Category", i.category).put("CreatedTime", i.created / 1000.0);
        }
        return new Object[] {200, out.toString()};
    }

    private static Object[] validation(String message) {
        return new Object[] {400, error("ValidationException", message)};
    }

    private static String error(String type, String message) {
        return MAPPER.createObjectNode().put("__type", type).put("message", message).toString();
    }

    private static JsonNode readTree(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
