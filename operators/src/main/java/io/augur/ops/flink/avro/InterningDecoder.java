package io.augur.ops.flink.avro;

import org.apache.flink.formats.avro.utils.DataInputDecoder;

import java.io.DataInput;
import java.io.IOException;

/**
 * Flink's {@link DataInputDecoder} (the same bytes) whose strings come from a {@link StringTable}: the strings of a
 * series' datapoints are the same objects from one datapoint to the next, instead of a new {@code String} (and its
 * bytes) per string per record.
 */
final class InterningDecoder extends DataInputDecoder {
    private final StringTable table;
    private DataInput in;
    private byte[] buf = new byte[128];

    InterningDecoder(StringTable table) {
        this.table = table;
    }

    @Override
    public void setIn(DataInput in) {
        super.setIn(in);
        this.in = in;
    }

    @Override
    public String readString() throws IOException {
        int length = readInt(); // as DataInputDecoder.readString(Utf8) reads it
        if (length <= 0) return "";
        if (length > buf.length) buf = new byte[Math.max(length, buf.length * 2)];
        in.readFully(buf, 0, length);
        return table.intern(buf, length);
    }
}
