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
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A proxy in front of moto that makes SNS PublishBatch and EventBridge PutEvents fail partly, the way the services do:
 * chosen entries are taken out of the request before it is forwarded and reported back as failed (SNS {@code Failed}
 * members, EventBridge {@code FailedEntryCount} and per-entry {@code ErrorCode}); the rest reach moto. An entry fails
 * with a retryable error the first time it is seen when {@link #failFirst} says so, and every time with a
 * non-retryable error when {@link #poison} says so. The first call of each API fails whole (500, then 400 throttling).
 * Every entry forwarded to moto is counted by its content.
 */
public final class FaultProxy implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> forwarded = new ConcurrentHashMap<>();
    private final AtomicInteger partialFailures = new AtomicInteger();
    private final AtomicInteger wholeFailures = new AtomicInteger();
    private final Set<String> failedWhole = ConcurrentHashMap.newKeySet();
    private volatile Predicate<String> failFirst = s -> false;
    private volatile Predicate<String> poison = s -> false;

    public FaultProxy(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Entries (by content: SNS message with its attributes, EventBridge detail) that fail once, retryably. */
    public FaultProxy failFirst(Predicate<String> p) {
        this.failFirst = p;
        return this;
    }

    /** Entries that always fail with a non-retryable error. */
    public FaultProxy poison(Predicate<String> p) {
        this.poison = p;
        return this;
    }

    public Map<String, AtomicInteger> forwarded() {
        return forwarded;
    }

    public int partialFailures() {
        return partialFailures.get();
    }

    public int wholeFailures() {
        return wholeFailures.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String amzTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            if ("AWSEvents.PutEvents".equals(amzTarget)) {
                if (failedWhole.add("PutEvents")) {
                    wholeFailures.incrementAndGet();
                    reply(ex, 400, "application/x-amz-json-1.1", "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
                    return;
                }
                putEvents(ex, text);
            } else if (text.contains("Action=PublishBatch")) {
                if (failedWhole.add("PublishBatch")) {
                    wholeFailures.incrementAndGet();
                    reply(ex, 500, "text/xml", "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>injected</Message></Error><RequestId>x</RequestId></ErrorResponse>");
                    return;
                }
                publishBatch(ex, text);
            } else {
                HttpResponse<byte[]> r = forward(ex, body);
                reply(ex, r.statusCode(), r.headers().firstValue("Content-Type").orElse("text/xml"), new String(r.body(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 500, "text/plain", "interrupted");
        }
    }

    private String decide(String key) {
        if (poison.test(key)) return "poison";
        if (failFirst.test(key) && seen.add(key)) return "retry";
        return null;
    }

    private void putEvents(HttpExchange ex, String text) throws IOException, InterruptedException {
        ObjectNode req = (ObjectNode) MAPPER.readTree(text);
        ArrayNode entries = (ArrayNode) req.get("Entries");
        List<String> fate = new ArrayList<>();
        ArrayNode keep = MAPPER.createArrayNode();
        for (JsonNode e : entries) {
            String f = decide(e.path("Detail").asText());
            fate.add(f);
            if (f == null) keep.add(e);
        }
        ArrayNode results = MAPPER.createArrayNode();
        Map<Integer, JsonNode> fromMoto = new TreeMap<>();
        if (!keep.isEmpty()) {
            req.set("Entries", keep);
            HttpResponse<byte[]> r = forward(ex, MAPPER.writeValueAsBytes(req));
            if (r.statusCode() != 200) {
                reply(ex, r.statusCode(), "application/x-amz-json-1.1", new String(r.body(), StandardCharsets.UTF_8));
                return;
            }
            JsonNode resp = MAPPER.readTree(r.body());
            for (int i = 0; i < keep.size(); i++) {
                forwarded.computeIfAbsent(keep.get(i).path("Detail").asText(), k -> new AtomicInteger()).incrementAndGet();
                fromMoto.put(i, resp.get("Entries").get(i));
            }
        }
        int k = 0;
        int failed = 0;
        for (String f : fate) {
            if (f == null) {
                results.add(fromMoto.get(k++));
            } else {
                failed++;
                partialFailures.incrementAndGet();
                results.addObject().put("ErrorCode", f.equals("poison") ? "InvalidArgument" : "ThrottlingException")
                        .put("ErrorMessage", f.equals("poison") ? "injected: invalid entry" : "injected: throttled");
            }
        }
        ObjectNode out = MAPPER.createObjectNode();
        out.put("FailedEntryCount", failed);
        out.set("Entries", results);
        reply(ex, 200, "application/x-amz-json-1.1", out.toString());
    }

    private void publishBatch(HttpExchange ex, String text) throws IOException, InterruptedException {
        // form parameters, members grouped by their index
        List<String[]> common = new ArrayList<>();
        Map<Integer, List<String[]>> members = new TreeMap<>();
        String prefix = "PublishBatchRequestEntries.member.";
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                int dot = rest.indexOf('.');
                members.computeIfAbsent(Integer.parseInt(rest.substring(0, dot)), x -> new ArrayList<>()).add(new String[] {rest.substring(dot + 1), v});
            } else {
                common.add(new String[] {k, v});
            }
        }
        StringBuilder failedXml = new StringBuilder();
        StringBuilder form = new StringBuilder();
        for (String[] c : common) append(form, c[0], c[1]);
        int n = 0;
        List<String> keptKeys = new ArrayList<>();
        for (List<String[]> m : members.values()) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String[] f : m) fields.put(f[0], f[1]);
            String key = new TreeMap<>(fields).entrySet().stream().filter(e -> !e.getKey().equals("Id")).toList().toString();
            String fate = decide(key);
            if (fate != null) {
                partialFailures.incrementAndGet();
                boolean poisoned = fate.equals("poison");
                failedXml.append("<member><Id>").append(fields.get("Id")).append("</Id><Code>").append(poisoned ? "InvalidParameter" : "InternalError")
                        .append("</Code><Message>injected</Message><SenderFault>").append(poisoned).append("</SenderFault></member>");
            } else {
                n++;
                for (Map.Entry<String, String> f : fields.entrySet()) append(form, prefix + n + "." + f.getKey(), f.getValue());
                keptKeys.add(key);
            }
        }
        String xml;
        if (n == 0) {
            xml = "<PublishBatchResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishBatchResult><Successful/><Failed>"
                    + failedXml + "</Failed></PublishBatchResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></PublishBatchResponse>";
        } else {
            HttpResponse<byte[]> r = forward(ex, form.toString().getBytes(StandardCharsets.UTF_8));
            xml = new String(r.body(), StandardCharsets.UTF_8);
            if (r.statusCode() != 200) {
                reply(ex, r.statusCode(), "text/xml", xml);
                return;
            }
            for (String k : keptKeys) forwarded.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
            xml = xml.replaceFirst("<Failed\\s*/>|<Failed>\\s*</Failed>", "<Failed>" + failedXml + "</Failed>");
        }
        reply(ex, 200, "text/xml", xml);
    }

    private static void append(StringBuilder form, String k, String v) {
        if (form.length() > 0) form.append('&');
        form.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI())).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Set<String> skip = new HashSet<>(List.of("host", "content-length", "connection", "expect", "transfer-encoding", "upgrade"));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!skip.contains(k.toLowerCase())) vs.forEach(v -> b.header(k, v));
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amzn-RequestId", "proxy");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
