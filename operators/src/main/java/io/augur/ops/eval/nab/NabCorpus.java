package io.augur.ops.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A folder in NAB's layout:
 * <pre>
 * data/&lt;category&gt;/&lt;file&gt;.csv        timestamp,value
 * labels/combined_windows.json      {"&lt;category&gt;/&lt;file&gt;.csv": [[start, end], ...], ...}
 * config/profiles.json              {"&lt;profile&gt;": {"CostMatrix": {"tpWeight":..,"fpWeight":..,"fnWeight":..}}}
 * </pre>
 * The corpus is defined by {@code data/}: categories are its sub-folders, files the {@code *.csv} in them (both
 * sorted by name). Every data file needs an entry in the windows file (an empty list for a file without anomalies);
 * entries for files that are not in {@code data/} are ignored. Window timestamps are mapped to rows by position
 * (see {@link NabWindow#fromTimes}).
 */
public final class NabCorpus {
    /** System property that overrides where {@link #locate()} looks for the NAB folder. */
    public static final String DIR_PROPERTY = "augur.nab.dir";

    private final Path dir;
    private final List<NabFile> files;
    private final Map<String, NabFile> byName;
    private final Map<String, NabProfile> profiles;

    public NabCorpus(Path dir, List<NabFile> files, Map<String, NabProfile> profiles) {
        this.dir = dir;
        this.files = List.copyOf(files);
        Map<String, NabFile> m = new LinkedHashMap<>();
        for (NabFile f : files) {
            if (m.put(f.name(), f) != null) throw new IllegalArgumentException("duplicate file " + f.name());
        }
        this.byName = Collections.unmodifiableMap(m);
        this.profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    public static NabCorpus load(Path dir) throws IOException {
        Path data = dir.resolve("data");
        Path windowsJson = dir.resolve("labels").resolve("combined_windows.json");
        Path profilesJson = dir.resolve("config").resolve("profiles.json");
        for (Path p : List.of(data, windowsJson, profilesJson)) {
            if (!Files.exists(p)) throw new NabDataException(dir + " is not a NAB folder: " + p + " is missing");
        }
        Map<String, NabProfile> profiles = NabProfile.load(profilesJson);
        JsonNode labels;
        try {
            labels = new ObjectMapper().readTree(windowsJson.toFile());
        } catch (IOException e) {
            throw new NabDataException(windowsJson + ": not valid JSON: " + e.getMessage(), e);
        }
        if (labels == null || !labels.isObject()) throw new NabDataException(windowsJson + ": expected a JSON object");

        List<NabFile> files = new ArrayList<>();
        for (String name : dataFileNames(data)) {
            NabCsv csv = NabCsv.read(data.resolve(name));
            LocalDateTime[] ts = csv.timestamps("timestamp");
            double[] values = csv.doubles("value");
            for (int i = 1; i < ts.length; i++) {
                if (ts[i].isBefore(ts[i - 1])) {
                    throw new NabDataException(name + ": timestamps go backwards at data row " + (i + 1));
                }
            }
            JsonNode entry = labels.get(name);
            if (entry == null) throw new NabDataException(windowsJson + " has no entry for " + name + " (use [] for no windows)");
            if (!entry.isArray()) throw new NabDataException(windowsJson + ": entry for " + name + " is not a list");
            List<NabWindow> windows = new ArrayList<>();
            for (JsonNode w : entry) {
                if (!w.isArray() || w.size() != 2) {
                    throw new NabDataException(windowsJson + ": " + name + ": window " + w + " is not [start, end]");
                }
                LocalDateTime start = labelTime(windowsJson, name, w.get(0));
                LocalDateTime end = labelTime(windowsJson, name, w.get(1));
                windows.add(NabWindow.fromTimes(ts, start, end, name));
            }
            files.add(new NabFile(name, ts, values, windows));
        }
        if (files.isEmpty()) throw new NabDataException(data + " has no <category>/<file>.csv files");
        return new NabCorpus(dir, files, profiles);
    }

    private static List<String> dataFileNames(Path data) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> cats = Files.list(data)) {
            for (Path cat : (Iterable<Path>) cats::iterator) {
                if (!Files.isDirectory(cat)) continue;
                try (Stream<Path> fs = Files.list(cat)) {
                    fs.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".csv"))
                            .forEach(f -> names.add(cat.getFileName() + "/" + f.getFileName()));
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static LocalDateTime labelTime(Path file, String name, JsonNode v) {
        try {
            return NabCsv.parseTimestamp(v.asText());
        } catch (DateTimeParseException e) {
            throw new NabDataException(file + ": " + name + ": bad window timestamp " + v);
        }
    }

    /**
     * Where the NAB folder is: the system property {@value #DIR_PROPERTY} if set, else {@code ../shared/nab}
     * relative to the repository root, which is found by walking up from {@code user.dir} to the first directory
     * that contains both {@code augur} and {@code package.json}. Empty when no repository root is found; the
     * returned path may not exist.
     */
    public static Optional<Path> locate() {
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) return Optional.of(Paths.get(prop).toAbsolutePath().normalize());
        for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("augur")) && Files.exists(p.resolve("package.json"))) {
                Path parent = p.getParent() == null ? p : p.getParent();
                return Optional.of(parent.resolve("shared").resolve("nab").normalize());
            }
        }
        return Optional.empty();
    }

    /** The folder this corpus was loaded from (null for a corpus built in memory). */
    public Path dir() {
        return dir;
    }

    public List<NabFile> files() {
        return files;
    }

    public NabFile file(String name) {
        NabFile f = byName.get(name);
        if (f == null) throw new IllegalArgumentException("no file " + name + " in the corpus");
        return f;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Category names in file order, without repeats. */
    public List<String> categories() {
        List<String> out = new ArrayList<>();
        for (NabFile f : files) if (!out.contains(f.category())) out.add(f.category());
        return out;
    }

    /** The files of one category, as a corpus of their own (same profiles). */
    public NabCorpus category(String category) {
        NabCorpus c = subset(n -> n.startsWith(category + "/"));
        if (c.files.isEmpty()) throw new IllegalArgumentException("no category " + category + " in the corpus");
        return c;
    }

    /** The files whose relative name matches, as a corpus of their own (same profiles). */
    public NabCorpus subset(Predicate<String> names) {
        return new NabCorpus(dir, files.stream().filter(f -> names.test(f.name())).toList(), profiles);
    }

    public int windowCount() {
        return files.stream().mapToInt(f -> f.windows().size()).sum();
    }

    public int rowCount() {
        return files.stream().mapToInt(NabFile::rows).sum();
    }

    /** The profiles of {@code config/profiles.json}, by name, in file order. */
    public Map<String, NabProfile> profiles() {
        return profiles;
    }

    public NabProfile profile(String name) {
        NabProfile p = profiles.get(name);
        if (p == null) throw new IllegalArgumentException("no profile " + name + " (have " + profiles.keySet() + ")");
        return p;
    }
}
