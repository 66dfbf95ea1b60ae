package io.augur.ops.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A moto server ({@code python3 -m moto.server}) on a free loopback port, started by the test and stopped (this process
 * only, also when the test JVM is stopped) when closed. Every test gets a fresh, empty AWS in account {@link #ACCOUNT}.
 * Shared with the job module's tests.
 */
public final class MotoServer implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static MotoServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto-", ".log");
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MOTO_ACCOUNT_ID", ACCOUNT);
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        MotoServer m = new MotoServer(p, port, log);
        // Ready when it accepts connections (moto needs a few seconds to import); give up after 60 s.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            if (!p.isAlive()) throw new IOException("moto server exited: " + Files.readString(log) + " (is moto installed? pip install 'moto[server]')");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return m;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    m.close();
                    throw new IOException("moto server did not start within 60 s: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            Files.deleteIfExists(log);
        } catch (InterruptedException | IOException e) {
            process.destroyForcibly();
        }
    }
}
