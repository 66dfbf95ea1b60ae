package io.augur.ops.parse;

import io.augur.ops.deadletter.BadInputException;
import io.augur.ops.deadletter.DeadLetterReason;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Size limits and gzip: turns a record's bytes into content, or says why it cannot. */
public final class PayloadDecoder {
    private final int maxRecordBytes;
    private final int maxDecompressedBytes;

    public PayloadDecoder(int maxRecordBytes, int maxDecompressedBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    public static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    /** The content of a record: the bytes themselves, or their gunzipped form (also for concatenated gzip members). */
    public byte[] decode(byte[] payload) throws BadInputException {
        if (payload == null || payload.length == 0) {
            throw new BadInputException(DeadLetterReason.EMPTY_RECORD, "record has no data");
        }
        if (payload.length > maxRecordBytes) {
            throw new BadInputException(DeadLetterReason.OVERSIZED_RECORD,
                    "record is " + payload.length + " bytes, limit parse.max-record-bytes=" + maxRecordBytes);
        }
        if (!isGzip(payload)) return payload;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxDecompressedBytes, payload.length * 8));
            byte[] buf = new byte[8192];
            int n;
            long total = 0;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxDecompressedBytes) {
                    throw new BadInputException(DeadLetterReason.DECOMPRESSED_TOO_LARGE,
                            "gzip content exceeds parse.max-decompressed-bytes=" + maxDecompressedBytes);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new BadInputException(DeadLetterReason.TRUNCATED_GZIP, "gzip stream ends early: " + e.getMessage());
        } catch (ZipException e) {
            throw new BadInputException(DeadLetterReason.TRUNCATED_GZIP, "corrupt gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(DeadLetterReason.TRUNCATED_GZIP, "cannot gunzip: " + e.getMessage());
        }
    }
}
