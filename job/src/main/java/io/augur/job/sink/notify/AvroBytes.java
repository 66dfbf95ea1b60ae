package io.augur.job.sink.notify;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Length-prefixed Avro binary of one record, for the sinks' checkpointed buffers. */
final class AvroBytes {
    private AvroBytes() {}

    static <T extends SpecificRecord> void write(T record, DataOutputStream out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
        @SuppressWarnings("unchecked")
        SpecificDatumWriter<T> w = new SpecificDatumWriter<>((Class<T>) record.getClass());
        w.write(record, enc);
        enc.flush();
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    static <T extends SpecificRecord> T read(Class<T> type, DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) throw new IOException("corrupt notification sink state: negative record length " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        BinaryDecoder dec = DecoderFactory.get().binaryDecoder(b, null);
        return new SpecificDatumReader<>(type).read(null, dec);
    }
}
