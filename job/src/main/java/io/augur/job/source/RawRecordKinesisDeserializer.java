package io.augur.job.source;

import io.augur.schema.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;

import java.nio.ByteBuffer;

/** Passes Kinesis records on untouched (parsing happens downstream, where bad input becomes a dead letter, not a failure). */
public final class RawRecordKinesisDeserializer implements KinesisDeserializationSchema<RawRecord> {
    private final String origin;

    public RawRecordKinesisDeserializer(String origin) {
        this.origin = origin;
    }

    @Override
    public void deserialize(Record record, String stream, String shardId, Collector<RawRecord> out) {
        out.collect(RawRecord.newBuilder()
                .setOrigin(origin)
                .setPayload(ByteBuffer.wrap(record.data().asByteArrayUnsafe()))
                .setReceivedAt(System.currentTimeMillis())
                .build());
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return new AvroTypeInfo<>(RawRecord.class);
    }
}
