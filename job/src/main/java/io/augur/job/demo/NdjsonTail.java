package io.augur.job.demo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the complete lines appended to a file since the last call (the file may not exist yet). */
public final class NdjsonTail {
    private final Path file;
    private long position;
    private byte[] partial = new byte[0];

    public NdjsonTail(Path file) {
        this.file = file;
    }

    public List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(file)) return lines;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length < position) { // truncated (rewritten from the start)
                position = 0;
                partial = new byte[0];
            }
            if (length == position) return lines;
            byte[] fresh = new byte[(int) Math.min(length - position, 64L << 20)];
            in.seek(position);
            in.readFully(fresh);
            position += fresh.length;
            byte[] buf = new byte[partial.length + fresh.length];
            System.arraycopy(partial, 0, buf, 0, partial.length);
            System.arraycopy(fresh, 0, buf, partial.length, fresh.length);
            int start = 0;
            for (int i = 0; i < buf.length; i++) {
                if (buf[i] == '\n') {
                    if (i > start) lines.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            partial = java.util.Arrays.copyOfRange(buf, start, buf.length);
        }
        return lines;
    }
}
