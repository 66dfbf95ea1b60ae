package io.augur.job.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from the installed binaries ({@code /usr/lib/postgresql/<version>/bin}, from the
 * Debian {@code postgresql} package that {@code .ci/run} installs): {@code initdb} into a temporary directory,
 * {@code pg_ctl start} on 127.0.0.1 with a free port and the unix socket in that directory, trust authentication.
 * PostgreSQL refuses to run as root, so as root the cluster runs as the {@code postgres} system user (runuser).
 */
public final class EmbeddedPostgres implements AutoCloseable {
    public static final String USER = "augur";
    public static final String DATABASE = "augur";
    private final Path bin;
    private final Path dir;
    private final List<String> asUser;
    private final int port;

    private EmbeddedPostgres(Path bin, Path dir, List<String> asUser, int port) {
        this.bin = bin;
        this.dir = dir;
        this.asUser = asUser;
        this.port = port;
    }

    public static EmbeddedPostgres start() throws Exception {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("augur-pg");
        List<String> asUser = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            asUser.addAll(List.of("runuser", "-u", "postgres", "--"));
            chown(dir, "postgres");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = new EmbeddedPostgres(bin, dir, asUser, port);
        pg.run("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        pg.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        return pg;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    /** Runs a SQL script (statements separated by ';', dollar-quoted bodies allowed) in one go. */
    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The newest installed PostgreSQL's bin directory. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                Path best = s.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> version(p.getFileName().toString()))).orElse(null);
                if (best != null) return best.resolve("bin");
            } catch (IOException ignored) {
                // fall through to the error
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install it with "
                + "`apt-get install -y postgresql` (.ci/run does this on CI)");
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void chown(Path dir, String user) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(user);
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(owner);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
        view.setGroup(group);
    }

    private void run(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("augur-pg-" + tool, ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish in 120 s: " + Files.readString(out));
            }
            if (p.exitValue() != 0) {
                Path log = dir.resolve("postgres.log");
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + Files.readString(out)
                        + (Files.exists(log) ? "\npostgres.log:\n" + Files.readString(log) : ""));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
